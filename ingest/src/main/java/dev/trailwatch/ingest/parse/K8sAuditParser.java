package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceSupport.label;
import static dev.trailwatch.ingest.parse.JsonSourceSupport.member;
import static dev.trailwatch.ingest.parse.JsonSourceSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.Unparsed;
import dev.trailwatch.ingest.parse.JsonSourceSupport.Item;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Kubernetes API-server audit events ({@code audit.k8s.io/v1}, and the {@code v1beta1} layout): one
 * {@code Event} per record, or an {@code EventList} whose {@code items} give one event each. The
 * mapping table is docs/parsers/json-sources.md.
 *
 * <p>A request is logged once per stage ({@code RequestReceived}, {@code ResponseStarted}, {@code
 * ResponseComplete}, {@code Panic}) under the same {@code auditID}: {@code event.id} is {@code
 * auditID/stage}, unique per stage, and {@code trace.id} is the {@code auditID} that ties the
 * stages together.
 *
 * <p>An object that is not an audit event ({@code kind} other than {@code Event}, or neither {@code
 * kind} nor {@code auditID} and {@code verb}) is unparsed. Thread-safe and stateless.
 */
public final class K8sAuditParser implements RecordParser {
  /** The {@code event.dataset}. */
  public static final String DATASET = "k8s.audit";

  /** Resources whose changes change who may do what. */
  private static final Set<String> IAM_RESOURCES =
      Set.of(
          "roles",
          "rolebindings",
          "clusterroles",
          "clusterrolebindings",
          "serviceaccounts",
          "certificatesigningrequests",
          "subjectaccessreviews",
          "selfsubjectaccessreviews",
          "selfsubjectrulesreviews",
          "localsubjectaccessreviews");

  private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");

  @Override
  public String format() {
    return "k8s-audit";
  }

  @Override
  public Framing framing() {
    return Framing.JSON;
  }

  @Override
  public void parse(String record, ParseContext context, Consumer<AccessEvent> out) {
    JsonSourceSupport.eachEvent(
        record,
        "items",
        DATASET,
        "the EventList or array holds no events",
        context,
        out,
        K8sAuditParser::event);
  }

  private static AccessEvent event(Item item, ParseContext context) {
    JsonNode n = item.node();
    if (!n.isObject()) {
      return unparsed(
          item, "expected an audit Event object, found " + JsonSourceSupport.describe(n), context);
    }
    JsonNode kind = member(n, "kind");
    if (kind != null && !(kind.isTextual() && kind.textValue().equals("Event"))) {
      return unparsed(
          item,
          "expected kind Event (or an EventList), found kind "
              + (kind.isTextual()
                  ? Unparsed.quote(kind.textValue())
                  : JsonSourceSupport.describe(kind)),
          context);
    }
    String auditId = text(n, "auditID");
    String verb = text(n, "verb");
    if (kind == null && auditId == null) {
      return unparsed(item, "not a Kubernetes audit event: no kind and no auditID", context);
    }
    if (verb == null) {
      return unparsed(item, "the audit event has no verb", context);
    }
    Instant time = null;
    for (String field : List.of("requestReceivedTimestamp", "stageTimestamp", "timestamp")) {
      String value = text(n, field);
      if (value != null) {
        try {
          time = JsonSourceSupport.instant(value, context.zone());
        } catch (IllegalArgumentException e) {
          return unparsed(item, field + ": " + e.getMessage(), context);
        }
        break;
      }
    }
    if (time == null) {
      return unparsed(
          item, "the audit event has no requestReceivedTimestamp or stageTimestamp", context);
    }

    String stage = text(n, "stage");
    AccessEvent.Builder b =
        AccessEvent.builder()
            .timestamp(time)
            .action(verb)
            .dataset(DATASET)
            .serviceName("kube-apiserver")
            .message(item.text());
    if (auditId != null) {
      b.eventId(stage == null ? auditId : auditId + "/" + stage).traceId(auditId);
    }

    JsonNode user = member(n, "user");
    b.userName(text(user, "username")).userId(text(user, "uid"));
    label(b, "k8s.groups", joined(member(user, "groups")));
    label(b, "k8s.impersonated_user", text(n, "impersonatedUser", "username"));

    JsonNode ips = member(n, "sourceIPs");
    if (ips != null && ips.isArray() && !ips.isEmpty()) {
      JsonSourceSupport.sourceAddress(b, JsonSourceSupport.scalarText(ips.get(0)));
      if (ips.size() > 1) {
        label(b, "k8s.source_ips", joined(ips));
      }
    }
    b.userAgent(text(n, "userAgent"));

    String requestUri = text(n, "requestURI");
    if (requestUri != null) {
      b.urlPath(JsonSourceSupport.pathOf(requestUri)).label("k8s.request_uri", requestUri);
    }

    JsonNode ref = member(n, "objectRef");
    String resource = text(ref, "resource");
    String subresource = text(ref, "subresource");
    String namespace = text(ref, "namespace");
    String name = text(ref, "name");
    if (resource != null) {
      b.resourceType(subresource == null ? resource : resource + "/" + subresource);
    }
    if (name != null) {
      b.resourceId(namespace == null ? name : namespace + "/" + name);
    }
    label(b, "k8s.namespace", namespace);
    label(b, "k8s.api_group", text(ref, "apiGroup"));

    label(b, "k8s.stage", stage);
    label(b, "k8s.level", text(n, "level"));
    JsonNode annotations = member(n, "annotations");
    String decision = text(annotations, "authorization.k8s.io/decision");
    label(b, "k8s.decision", decision);
    label(b, "k8s.reason", text(annotations, "authorization.k8s.io/reason"));

    JsonNode status = member(n, "responseStatus");
    JsonNode code = member(status, "code");
    Outcome outcome = Outcome.UNKNOWN;
    if (code != null && code.canConvertToInt() && code.isIntegralNumber()) {
      int c = code.intValue();
      outcome = c < 400 ? Outcome.SUCCESS : Outcome.FAILURE;
      if (c >= 100 && c <= 599) {
        b.httpStatusCode(c);
      }
    } else if ("forbid".equals(decision)) {
      outcome = Outcome.FAILURE;
    }
    b.outcome(outcome);
    if (outcome == Outcome.FAILURE) {
      label(b, "k8s.response_reason", text(status, "reason"));
      label(b, "k8s.response_message", text(status, "message"));
    }
    b.category(category(verb, resource, subresource));
    return JsonSourceSupport.build(b, item, DATASET, context);
  }

  /**
   * {@code iam} for RBAC, service accounts and access reviews; {@code authentication} for token
   * reviews; {@code process} for exec and attach; {@code network} for port forwarding and proxying;
   * {@code web} for reads and non-resource requests; {@code configuration} for other writes.
   */
  static String category(String verb, String resource, String subresource) {
    if (resource == null) {
      return "web";
    }
    if (IAM_RESOURCES.contains(resource)) {
      return "iam";
    }
    if (resource.equals("tokenreviews")) {
      return "authentication";
    }
    if (subresource != null) {
      switch (subresource) {
        case "exec", "attach" -> {
          return "process";
        }
        case "portforward", "proxy" -> {
          return "network";
        }
        default -> {}
      }
    }
    return READ_VERBS.contains(verb) ? "web" : "configuration";
  }

  private static String joined(JsonNode array) {
    if (array == null || !array.isArray()) {
      return null;
    }
    StringJoiner j = new StringJoiner(",");
    for (JsonNode e : array) {
      String s = JsonSourceSupport.scalarText(e);
      if (s != null) {
        j.add(s);
      }
    }
    return j.length() == 0 ? null : j.toString();
  }

  private static AccessEvent unparsed(Item item, String reason, ParseContext context) {
    return JsonSourceSupport.unparsed(item, DATASET, reason, context);
  }
}
