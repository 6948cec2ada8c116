package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceTesting.data;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.get;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Falco's Kubernetes audit regression traces (audit/falco-k8s-audit, read in place): every event
 * parses, selected files give exact values, and every detection that falco_k8s_audit_tests.yaml
 * expects finds in our events what its rule looks at (user, verb, resource, namespace, stage,
 * response), as many times as the test counts.
 */
class K8sAuditRealDataTest {
  private static final String DIR = "audit/falco-k8s-audit/";
  private final K8sAuditParser parser = new K8sAuditParser();

  /** The events of one trace file: one JSON value per non-blank line. */
  private List<AccessEvent> events(String file) throws IOException {
    List<AccessEvent> out = new ArrayList<>();
    for (String line :
        Files.readAllLines(data(DIR + "trace_files/" + file), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.addAll(parse(parser, line));
      }
    }
    return out;
  }

  private AccessEvent only(String file) throws IOException {
    List<AccessEvent> events = events(file);
    assertThat(events).as(file).hasSize(1);
    assertThat(events.get(0).isUnparsed()).as(file).isFalse();
    return events.get(0);
  }

  @Test
  void everyEventOfEveryTraceParses() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    try (Stream<Path> files = Files.list(data(DIR + "trace_files"))) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        List<AccessEvent> events = events(name);
        counts.put(name, events.size());
        if (name.equals("fal_01_003.json")) {
          // Falco's deliberately invalid fixture {"kind": 0}: it must be rejected.
          assertThat(events).singleElement().matches(AccessEvent::isUnparsed);
          assertThat(events.get(0).labels().get("parse_error")).contains("found kind a number");
          continue;
        }
        for (AccessEvent e : events) {
          assertThat(e.isUnparsed()).as("%s: %s", name, e.labels()).isFalse();
          assertThat(e.event().dataset()).hasValue("k8s.audit");
          assertThat(e.user().name()).as(name).isPresent();
          assertThat(e.source().ip()).as(name).isPresent();
          assertThat(e.event().id().orElseThrow()).contains("/");
          assertThat(e.event().id().orElseThrow())
              .startsWith(e.correlation().traceId().orElseThrow());
          assertThat(e.event().outcome()).as(name).isEqualTo(Outcome.SUCCESS);
        }
      }
    }
    assertThat(counts).hasSize(47);
    assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(52);
    assertThat(counts).containsEntry("create_configmap_sensitive_values.json", 6);
  }

  @Test
  void secretCreated() throws IOException {
    AccessEvent e = only("create_secret.json");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2020-04-21T17:57:05.541358Z"));
    assertThat(get(e, "event.action")).isEqualTo("create");
    assertThat(get(e, "event.category")).isEqualTo("configuration");
    assertThat(get(e, "event.id"))
        .isEqualTo("55a81824-ab56-46c5-8b02-96336f5e78d7/ResponseComplete");
    assertThat(get(e, "trace.id")).isEqualTo("55a81824-ab56-46c5-8b02-96336f5e78d7");
    assertThat(get(e, "user.name")).isEqualTo("minikube-user");
    assertThat(get(e, "source.ip")).isEqualTo("192.168.64.1");
    assertThat(get(e, "user_agent.original"))
        .isEqualTo("kubectl/v1.17.3 (darwin/amd64) kubernetes/06ad960");
    assertThat(get(e, "resource.type")).isEqualTo("secrets");
    assertThat(get(e, "resource.id")).isEqualTo("default/example-secret");
    assertThat(get(e, "url.path")).isEqualTo("/api/v1/namespaces/default/secrets");
    assertThat(get(e, "http.response.status_code")).isEqualTo("201");
    assertThat(e.labels())
        .containsEntry("k8s.groups", "system:masters,system:authenticated")
        .containsEntry("k8s.namespace", "default")
        .containsEntry("k8s.level", "Metadata")
        .containsEntry("k8s.stage", "ResponseComplete")
        .containsEntry("k8s.decision", "allow")
        .doesNotContainKey("k8s.reason"); // "" in the source: absent
  }

  @Test
  void clusterRoleBindingToClusterAdmin() throws IOException {
    AccessEvent e = only("attach_cluster_admin_role.json");
    assertThat(get(e, "event.action")).isEqualTo("create");
    assertThat(get(e, "event.category")).isEqualTo("iam");
    assertThat(get(e, "resource.type")).isEqualTo("clusterrolebindings");
    assertThat(get(e, "resource.id")).isEqualTo("some-reader-binding");
    assertThat(e.labels())
        .containsEntry("k8s.api_group", "rbac.authorization.k8s.io")
        .containsEntry("k8s.level", "RequestResponse")
        .doesNotContainKey("k8s.namespace");
    // The role granted is in the request object, which is kept whole in the message.
    assertThat(e.message().orElseThrow()).contains("\"name\":\"cluster-admin\"");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2018-10-26T14:26:34.238974Z"));
  }

  @Test
  void execIntoAPod() throws IOException {
    AccessEvent e = only("exec_pod.json");
    assertThat(get(e, "event.action")).isEqualTo("create");
    assertThat(get(e, "event.category")).isEqualTo("process");
    assertThat(get(e, "event.id")).endsWith("/ResponseStarted");
    assertThat(get(e, "resource.type")).isEqualTo("pods/exec");
    assertThat(get(e, "resource.id")).isEqualTo("default/nginx-deployment-7998647bdf-phvq7");
    assertThat(get(e, "url.path"))
        .isEqualTo("/api/v1/namespaces/default/pods/nginx-deployment-7998647bdf-phvq7/exec");
    assertThat(e.labels().get("k8s.request_uri")).contains("command=bash");
    assertThat(get(e, "http.response.status_code")).isEqualTo("101");
    assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
  }

  @Test
  void anonymousRequest() throws IOException {
    AccessEvent e = only("anonymous_creates_namespace_foo.json");
    assertThat(get(e, "user.name")).isEqualTo("system:anonymous");
    assertThat(get(e, "resource.type")).isEqualTo("namespaces");
    assertThat(get(e, "resource.id")).isEqualTo("foo");
    assertThat(e.labels()).containsEntry("k8s.decision", "allow");
    // audit.k8s.io/v1beta1: requestReceivedTimestamp still wins over the older "timestamp".
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2018-10-25T13:58:49.730588Z"));
  }

  @Test
  void podCreatedByAControllerHasNoNameYet() throws IOException {
    AccessEvent e = only("create_nginx_pod_privileged.json");
    assertThat(get(e, "user.name"))
        .isEqualTo("system:serviceaccount:kube-system:replicaset-controller");
    assertThat(get(e, "resource.type")).isEqualTo("pods");
    assertThat(e.resource().id()).isEmpty(); // generateName: the name is chosen by the server
    assertThat(e.labels()).containsEntry("k8s.namespace", "default");
  }

  // ---------------------------------------------------------------------------------------------
  // Falco's expectations

  /** What a Falco rule's condition reads from an event, as far as our schema carries it. */
  private record Need(
      Set<String> verbs, Set<String> resourceTypes, String stage, Predicate<AccessEvent> more) {
    boolean test(AccessEvent e) {
      return verbs.contains(e.event().action())
          && resourceTypes.contains(e.resource().type().orElse(""))
          && (stage == null || stage.equals(e.labels().get("k8s.stage")))
          && e.user().name().isPresent()
          && more.test(e);
    }
  }

  private static Need need(String verb, String resource) {
    return new Need(Set.of(verb), Set.of(resource), null, e -> true);
  }

  private static Need need(String verb, String resource, Predicate<AccessEvent> more) {
    return new Need(Set.of(verb), Set.of(resource), null, more);
  }

  private static Predicate<AccessEvent> inNamespace(String... namespaces) {
    return e -> Set.of(namespaces).contains(e.labels().get("k8s.namespace"));
  }

  private static Predicate<AccessEvent> successful() {
    return e -> e.web().statusCode().orElse(0) / 100 == 2;
  }

  private static Predicate<AccessEvent> messageHas(String text) {
    return e -> e.message().orElseThrow().contains(text);
  }

  /**
   * Per rule name, what the rule needs. Pod security settings, configmap contents and role rules
   * live in the request object, which the schema keeps only in {@code message}: those needs check
   * the message.
   */
  private static final Map<String, Need> NEEDS =
      Map.ofEntries(
          Map.entry("Create Disallowed Pod", need("create", "pods", inNamespace("default"))),
          Map.entry(
              "Create Privileged Pod", need("create", "pods", messageHas("\"privileged\":true"))),
          Map.entry("Create Sensitive Mount Pod", need("create", "pods", messageHas("hostPath"))),
          Map.entry(
              "Create HostNetwork Pod", need("create", "pods", messageHas("\"hostNetwork\":true"))),
          Map.entry("Disallowed K8s User", need("create", "namespaces", e -> true)),
          Map.entry("Create NodePort Service", need("create", "services", messageHas("NodePort"))),
          Map.entry(
              "Create/Modify Configmap With Private Credentials",
              new Need(Set.of("create", "update", "patch"), Set.of("configmaps"), null, e -> true)),
          Map.entry(
              "Anonymous Request Allowed",
              new Need(
                  Set.of("create", "get", "list", "update", "patch", "delete"),
                  Set.of("namespaces"),
                  null,
                  e ->
                      e.user().name().orElseThrow().equals("system:anonymous")
                          && "allow".equals(e.labels().get("k8s.decision")))),
          Map.entry(
              "Attach/Exec Pod",
              new Need(
                  Set.of("create", "get"),
                  Set.of("pods/exec", "pods/attach"),
                  "ResponseStarted",
                  e -> e.event().category().orElseThrow().equals("process"))),
          Map.entry(
              "Create Disallowed Namespace",
              need("create", "namespaces", e -> e.resource().id().isPresent())),
          Map.entry(
              "Pod Created in Kube Namespace",
              need("create", "pods", inNamespace("kube-system", "kube-public"))),
          Map.entry(
              "Service Account Created in Kube Namespace",
              need("create", "serviceaccounts", inNamespace("kube-system", "kube-public"))),
          Map.entry(
              "System ClusterRole Modified/Deleted",
              new Need(
                  Set.of("update", "patch", "delete"),
                  Set.of("clusterroles"),
                  null,
                  e -> e.resource().id().orElseThrow().startsWith("system:"))),
          Map.entry(
              "Attach to cluster-admin Role",
              need("create", "clusterrolebindings", messageHas("\"name\":\"cluster-admin\""))),
          Map.entry(
              "ClusterRole With Wildcard Created",
              need("create", "clusterroles", messageHas("\"*\""))),
          Map.entry("ClusterRole With Write Privileges Created", need("create", "clusterroles")),
          Map.entry(
              "ClusterRole With Pod Exec Created",
              need("create", "clusterroles", messageHas("pods/exec"))),
          Map.entry("K8s Deployment Created", need("create", "deployments", successful())),
          Map.entry("K8s Deployment Deleted", need("delete", "deployments", successful())),
          Map.entry("K8s Service Created", need("create", "services", successful())),
          Map.entry("K8s Service Deleted", need("delete", "services", successful())),
          Map.entry("K8s ConfigMap Created", need("create", "configmaps", successful())),
          Map.entry("K8s ConfigMap Deleted", need("delete", "configmaps", successful())),
          Map.entry("K8s Namespace Created", need("create", "namespaces", successful())),
          Map.entry("K8s Namespace Deleted", need("delete", "namespaces", successful())),
          Map.entry("K8s Serviceaccount Created", need("create", "serviceaccounts", successful())),
          Map.entry("K8s Serviceaccount Deleted", need("delete", "serviceaccounts", successful())),
          Map.entry(
              "K8s Role/Clusterrole Created",
              new Need(Set.of("create"), Set.of("roles", "clusterroles"), null, successful())),
          Map.entry(
              "K8s Role/Clusterrole Deleted",
              new Need(Set.of("delete"), Set.of("roles", "clusterroles"), null, successful())),
          Map.entry(
              "K8s Role/Clusterrolebinding Created",
              new Need(
                  Set.of("create"),
                  Set.of("rolebindings", "clusterrolebindings"),
                  null,
                  successful())),
          Map.entry(
              "K8s Role/Clusterrolebinding Deleted",
              new Need(
                  Set.of("delete"),
                  Set.of("rolebindings", "clusterrolebindings"),
                  null,
                  successful())),
          // A test-local rule on /annotations/authorization.k8s.io~1decision (JSON Pointer).
          Map.entry(
              "json_pointer_example",
              need("create", "pods", e -> e.labels().containsKey("k8s.decision"))),
          Map.entry(
              "K8s Secret Created",
              need("create", "secrets", successful().and(inNamespace("kube-system").negate()))),
          Map.entry(
              "K8s Secret Deleted",
              need("delete", "secrets", successful().and(inNamespace("kube-system").negate()))));

  @Test
  void whatEachExpectedDetectionNeedsIsInOurEvents() throws IOException {
    JsonNode tests =
        new YAMLMapper()
            .readTree(data(DIR + "expected/falco_k8s_audit_tests.yaml").toFile())
            .get("trace_files");
    int checked = 0;
    int detectionsChecked = 0;
    for (Map.Entry<String, JsonNode> t : tests.properties()) {
      JsonNode test = t.getValue();
      String opts = test.path("addl_cmdline_opts").asText("");
      String file = opts.substring(opts.indexOf("trace_files/k8s_audit/") + 22).strip();
      List<AccessEvent> events = events(file);
      checked++;
      for (JsonNode count : test.path("detect_counts")) {
        for (Map.Entry<String, JsonNode> rule : count.properties()) {
          Need need = NEEDS.get(rule.getKey());
          assertThat(need).as("a need for rule %s", rule.getKey()).isNotNull();
          long matching = events.stream().filter(need::test).count();
          assertThat(matching)
              .as("%s: events of %s with what %s needs", t.getKey(), file, rule.getKey())
              .isEqualTo(rule.getValue().asLong());
          detectionsChecked++;
        }
      }
    }
    assertThat(checked).isEqualTo(66);
    assertThat(detectionsChecked).isEqualTo(45); // the detect_counts entries of the file
  }

  /** Two expected non-detections that hinge on fields we map: the namespace and the actor. */
  @Test
  void expectedNonDetectionsDifferWhereTheRuleLooks() throws IOException {
    // K8s Secret Created excludes kube-system: this secret is there.
    AccessEvent kubeSystem = only("create_kube_system_secret.json");
    assertThat(kubeSystem.labels()).containsEntry("k8s.namespace", "kube-system");
    assertThat(NEEDS.get("K8s Secret Created").test(kubeSystem)).isFalse();
    // ...and excludes system users: this token secret is created by the controller manager.
    AccessEvent token = only("create_service_account_token_secret.json");
    assertThat(get(token, "user.name")).isEqualTo("system:kube-controller-manager");
  }
}
