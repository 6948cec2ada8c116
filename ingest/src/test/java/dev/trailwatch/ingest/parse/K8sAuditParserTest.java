package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceTesting.get;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.one;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.parse;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.parsed;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.unparsedReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.RecordParser;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written audit events (own values); the real ones are in {@link K8sAuditRealDataTest}. */
class K8sAuditParserTest {
  private final K8sAuditParser parser = new K8sAuditParser();

  private static final String SECRET_READ =
      """
      {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata",\
      "auditID":"0b1c2d3e-0000-4000-8000-000000000001","stage":"ResponseComplete",\
      "requestURI":"/api/v1/namespaces/payments/secrets/db-password?timeout=30s","verb":"get",\
      "user":{"username":"carol@example.test","uid":"u-42","groups":["devs","system:authenticated"]},\
      "impersonatedUser":{"username":"system:serviceaccount:payments:deployer"},\
      "sourceIPs":["203.0.113.7","10.0.0.2"],"userAgent":"kubectl/v1.30.1 (linux/amd64)",\
      "objectRef":{"resource":"secrets","namespace":"payments","name":"db-password","apiVersion":"v1"},\
      "responseStatus":{"metadata":{},"status":"Failure","reason":"Forbidden",\
      "message":"secrets \\"db-password\\" is forbidden","code":403},\
      "requestReceivedTimestamp":"2026-03-01T10:15:30.123456Z",\
      "stageTimestamp":"2026-03-01T10:15:30.130000Z",\
      "annotations":{"authorization.k8s.io/decision":"forbid",\
      "authorization.k8s.io/reason":"no RBAC policy matched"}}""";

  @Test
  void formatAndFraming() {
    assertThat(parser.format()).isEqualTo("k8s-audit");
    assertThat(parser.framing()).isEqualTo(RecordParser.Framing.JSON);
  }

  @Test
  void forbiddenSecretRead() {
    AccessEvent e = parsed(parser, SECRET_READ);
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123456Z"));
    assertThat(get(e, "event.dataset")).isEqualTo("k8s.audit");
    assertThat(get(e, "event.action")).isEqualTo("get");
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(get(e, "event.category")).isEqualTo("web");
    assertThat(get(e, "event.id"))
        .isEqualTo("0b1c2d3e-0000-4000-8000-000000000001/ResponseComplete");
    assertThat(get(e, "trace.id")).isEqualTo("0b1c2d3e-0000-4000-8000-000000000001");
    assertThat(get(e, "user.name")).isEqualTo("carol@example.test");
    assertThat(get(e, "user.id")).isEqualTo("u-42");
    assertThat(e.user().roles()).isEmpty();
    assertThat(get(e, "source.ip")).isEqualTo("203.0.113.7");
    assertThat(get(e, "user_agent.original")).isEqualTo("kubectl/v1.30.1 (linux/amd64)");
    assertThat(get(e, "url.path")).isEqualTo("/api/v1/namespaces/payments/secrets/db-password");
    assertThat(get(e, "http.response.status_code")).isEqualTo("403");
    assertThat(get(e, "resource.type")).isEqualTo("secrets");
    assertThat(get(e, "resource.id")).isEqualTo("payments/db-password");
    assertThat(get(e, "service.name")).isEqualTo("kube-apiserver");
    assertThat(e.message()).hasValue(SECRET_READ);
    assertThat(e.labels())
        .containsEntry("k8s.groups", "devs,system:authenticated")
        .containsEntry("k8s.impersonated_user", "system:serviceaccount:payments:deployer")
        .containsEntry("k8s.source_ips", "203.0.113.7,10.0.0.2")
        .containsEntry("k8s.namespace", "payments")
        .containsEntry("k8s.stage", "ResponseComplete")
        .containsEntry("k8s.level", "Metadata")
        .containsEntry(
            "k8s.request_uri", "/api/v1/namespaces/payments/secrets/db-password?timeout=30s")
        .containsEntry("k8s.decision", "forbid")
        .containsEntry("k8s.reason", "no RBAC policy matched")
        .containsEntry("k8s.response_reason", "Forbidden")
        .containsEntry("k8s.response_message", "secrets \"db-password\" is forbidden")
        .doesNotContainKey("k8s.api_group");
  }

  @Test
  void stagesOfOneRequestShareTheTraceButNotTheId() {
    String received =
        """
        {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"a-1",\
        "stage":"RequestReceived","requestURI":"/api/v1/namespaces/ops/pods/web-0/exec?command=sh",\
        "verb":"create","user":{"username":"dave"},"sourceIPs":["198.51.100.20"],\
        "objectRef":{"resource":"pods","namespace":"ops","name":"web-0","subresource":"exec"},\
        "requestReceivedTimestamp":"2026-03-01T11:00:00.000001Z"}""";
    String started =
        received
            .replace("RequestReceived", "ResponseStarted")
            .replace(
                "\"requestReceivedTimestamp\"",
                "\"responseStatus\":{\"code\":101},\"requestReceivedTimestamp\"");
    AccessEvent a = parsed(parser, received);
    AccessEvent b = parsed(parser, started);
    assertThat(get(a, "event.id")).isEqualTo("a-1/RequestReceived");
    assertThat(get(b, "event.id")).isEqualTo("a-1/ResponseStarted");
    assertThat(get(a, "trace.id")).isEqualTo(get(b, "trace.id")).isEqualTo("a-1");
    assertThat(a.event().outcome()).isEqualTo(Outcome.UNKNOWN); // no response yet
    assertThat(b.event().outcome()).isEqualTo(Outcome.SUCCESS); // 101 Switching Protocols
    assertThat(get(b, "resource.type")).isEqualTo("pods/exec");
    assertThat(get(b, "event.category")).isEqualTo("process");
  }

  @Test
  void eventListGivesOneEventPerItemEachWithItsOwnText() {
    String item1 =
        "{\"kind\":\"Event\",\"auditID\":\"l-1\",\"stage\":\"ResponseComplete\",\"verb\":\"delete\","
            + "\"user\":{\"username\":\"erin\"},\"objectRef\":{\"resource\":\"clusterrolebindings\","
            + "\"name\":\"erin-admin\",\"apiGroup\":\"rbac.authorization.k8s.io\"},"
            + "\"responseStatus\":{\"code\":200},"
            + "\"requestReceivedTimestamp\":\"2026-03-02T00:00:00Z\"}";
    String item2 =
        "{\"kind\":\"Event\",\"auditID\":\"l-2\",\"verb\":\"list\",\"sourceIPs\":[\"2001:db8::5\"],"
            + "\"requestURI\":\"/version\",\"stageTimestamp\":\"2026-03-02T00:00:01+02:00\"}";
    String list =
        "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\n \"items\": [ "
            + item1
            + " ,\n"
            + item2
            + "]}";
    List<AccessEvent> events = parse(parser, list);
    assertThat(events).hasSize(2).noneMatch(AccessEvent::isUnparsed);
    AccessEvent first = events.get(0);
    assertThat(first.message()).hasValue(item1);
    assertThat(get(first, "resource.id")).isEqualTo("erin-admin");
    assertThat(get(first, "event.category")).isEqualTo("iam");
    assertThat(first.labels()).containsEntry("k8s.api_group", "rbac.authorization.k8s.io");
    assertThat(first.event().outcome()).isEqualTo(Outcome.SUCCESS);
    AccessEvent second = events.get(1);
    assertThat(second.message()).hasValue(item2);
    assertThat(get(second, "event.id")).isEqualTo("l-2"); // no stage
    assertThat(get(second, "source.ip")).isEqualTo("2001:db8::5");
    assertThat(second.timestamp()).isEqualTo(Instant.parse("2026-03-01T22:00:01Z"));
    assertThat(get(second, "event.category")).isEqualTo("web"); // non-resource request
    assertThat(get(second, "user.name")).isNull();
  }

  @Test
  void categories() {
    assertThat(K8sAuditParser.category("create", "rolebindings", null)).isEqualTo("iam");
    assertThat(K8sAuditParser.category("get", "serviceaccounts", "token")).isEqualTo("iam");
    assertThat(K8sAuditParser.category("create", "tokenreviews", null)).isEqualTo("authentication");
    assertThat(K8sAuditParser.category("get", "pods", "attach")).isEqualTo("process");
    assertThat(K8sAuditParser.category("create", "pods", "portforward")).isEqualTo("network");
    assertThat(K8sAuditParser.category("patch", "deployments", "scale")).isEqualTo("configuration");
    assertThat(K8sAuditParser.category("watch", "configmaps", null)).isEqualTo("web");
    assertThat(K8sAuditParser.category("get", null, null)).isEqualTo("web");
  }

  @Test
  void notAuditEvents() {
    assertThat(unparsedReason(parser, "{\"kind\": 0}"))
        .isEqualTo("k8s.audit: expected kind Event (or an EventList), found kind a number");
    assertThat(unparsedReason(parser, "{\"kind\":\"Pod\",\"verb\":\"get\"}"))
        .contains("found kind 'Pod'");
    assertThat(unparsedReason(parser, "{\"verb\":\"get\"}")).contains("no kind and no auditID");
    assertThat(unparsedReason(parser, "{\"kind\":\"Event\",\"auditID\":\"x\"}"))
        .contains("no verb");
    assertThat(unparsedReason(parser, "{\"kind\":\"Event\",\"auditID\":\"x\",\"verb\":\"get\"}"))
        .contains("no requestReceivedTimestamp");
    assertThat(
            unparsedReason(
                parser,
                "{\"kind\":\"Event\",\"auditID\":\"x\",\"verb\":\"get\","
                    + "\"requestReceivedTimestamp\":\"yesterday\",\"user\":{\"username\":\"a\"}}"))
        .startsWith("k8s.audit: requestReceivedTimestamp: ");
    assertThat(unparsedReason(parser, "{\"kind\":\"EventList\",\"items\":[]}"))
        .contains("holds no events");
    AccessEvent scalar = one(parser, "[1]");
    assertThat(scalar.message()).hasValue("1"); // the item's own text
    assertThat(scalar.labels().get("parse_error"))
        .isEqualTo(
            "k8s.audit: item 1 of the array: expected an audit Event object, found a number");
  }

  @Test
  void eventWithoutActorIsUnparsedWithTheBuildersReason() {
    String noActor =
        "{\"kind\":\"Event\",\"auditID\":\"x\",\"verb\":\"get\",\"sourceIPs\":[],"
            + "\"requestReceivedTimestamp\":\"2026-03-02T00:00:00Z\"}";
    assertThat(unparsedReason(parser, noActor)).contains("at least one of user.name");
  }

  @Test
  void hostNameInSourceIpsGoesToTheAddressLabel() {
    AccessEvent e =
        parsed(
            parser,
            "{\"kind\":\"Event\",\"auditID\":\"x\",\"verb\":\"get\",\"sourceIPs\":[\"lb.internal\"],"
                + "\"user\":{\"username\":\"frank\"},\"requestReceivedTimestamp\":\"2026-03-02T00:00:00Z\"}");
    assertThat(e.source().ip()).isEmpty();
    assertThat(e.labels()).containsEntry("source.address", "lb.internal");
  }

  @Test
  void wrongTypesOfOptionalFieldsAreIgnored() {
    AccessEvent e =
        parsed(
            parser,
            "{\"kind\":\"Event\",\"auditID\":\"x\",\"verb\":\"get\",\"sourceIPs\":\"203.0.113.9\","
                + "\"user\":{\"username\":\"gina\",\"groups\":\"devs\"},\"objectRef\":[1],"
                + "\"responseStatus\":{\"code\":\"200\"},\"annotations\":7,"
                + "\"requestReceivedTimestamp\":\"2026-03-02T00:00:00Z\"}");
    assertThat(get(e, "user.name")).isEqualTo("gina");
    assertThat(e.source().ip()).isEmpty();
    assertThat(e.resource().type()).isEmpty();
    assertThat(e.event().outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e.labels()).doesNotContainKeys("k8s.groups", "k8s.decision");
  }

  @Test
  void oneBadItemDoesNotSpoilTheOthers() {
    String good =
        "{\"kind\":\"Event\",\"auditID\":\"g\",\"verb\":\"get\",\"user\":{\"username\":\"h\"},"
            + "\"requestReceivedTimestamp\":\"2026-03-02T00:00:00Z\"}";
    List<AccessEvent> events = parse(parser, "{\"items\":[" + good + ",\"oops\"," + good + "]}");
    assertThat(events).extracting(AccessEvent::isUnparsed).containsExactly(false, true, false);
    assertThat(events.get(1).message()).hasValue("\"oops\"");
    assertThat(events.get(1).labels().get("parse_error")).startsWith("k8s.audit: item 2 of items:");
  }

  @Test
  void notJson() {
    assertThat(unparsedReason(parser, "")).contains("empty record");
    assertThat(unparsedReason(parser, "kind=Event")).contains("not valid JSON");
    assertThat(unparsedReason(parser, "{\"kind\":\"Event\"")).contains("not valid JSON");
    assertThat(unparsedReason(parser, "{} {}")).contains("after the JSON value");
    assertThat(unparsedReason(parser, "{\"verb\":\"get\",\"verb\":\"delete\"}"))
        .contains("Duplicate field 'verb'");
    assertThat(one(parser, "null").isUnparsed()).isTrue();
  }
}
