package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceSupport.label;
import static dev.trailwatch.ingest.parse.JsonSourceSupport.member;
import static dev.trailwatch.ingest.parse.JsonSourceSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.parse.JsonSourceSupport.Item;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Okta System Log events ({@code /api/v1/logs}): one event per JSON value, or a JSON array of them
 * (what the API returns). The mapping table is docs/parsers/json-sources.md.
 *
 * <p>Okta writes {@code "unknown"} where it has no id; such a {@code actor.id} or {@code
 * externalSessionId} is left out, so that it does not tie unrelated events together. Keys are
 * matched ignoring case when no exact match exists (see {@link JsonSourceSupport}), and a {@code
 * published} time without an offset (Panther's exports) is in the context's zone.
 *
 * <p>An object without {@code eventType}, or without {@code published} (or Panther's {@code
 * p_event_time}), is unparsed. Thread-safe and stateless.
 */
public final class OktaParser implements RecordParser {
  /** The {@code event.dataset}. */
  public static final String DATASET = "okta";

  private static final String UNKNOWN = "unknown";

  @Override
  public String format() {
    return "okta";
  }

  @Override
  public Framing framing() {
    return Framing.JSON;
  }

  @Override
  public void parse(String record, ParseContext context, Consumer<AccessEvent> out) {
    JsonSourceSupport.eachEvent(
        record, null, DATASET, "the array holds no events", context, out, OktaParser::event);
  }

  private static AccessEvent event(Item item, ParseContext context) {
    JsonNode n = item.node();
    if (!n.isObject()) {
      return unparsed(
          item, "expected an Okta event object, found " + JsonSourceSupport.describe(n), context);
    }
    String type = text(n, "eventType");
    if (type == null) {
      return unparsed(item, "not an Okta System Log event: no eventType", context);
    }
    Instant time = null;
    for (String field : List.of("published", "p_event_time")) {
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
      return unparsed(item, "the event has no published time", context);
    }
    AccessEvent.Builder b =
        AccessEvent.builder()
            .timestamp(time)
            .action(type)
            .dataset(DATASET)
            .category(category(type))
            .eventId(text(n, "uuid"))
            .traceId(text(n, "transaction", "id"))
            .message(item.text());

    JsonNode actor = member(n, "actor");
    b.userName(text(actor, "alternateId")).userId(known(text(actor, "id")));
    label(b, "okta.actor_type", text(actor, "type"));
    label(b, "okta.actor_display_name", text(actor, "displayName"));

    JsonNode client = member(n, "client");
    String ip = text(client, "ipAddress");
    if (ip == null) {
      JsonNode chain = JsonSourceSupport.at(n, "request", "ipChain");
      if (chain != null && chain.isArray() && !chain.isEmpty()) {
        ip = text(chain.get(0), "ip");
      }
    }
    JsonSourceSupport.sourceAddress(b, ip);
    b.userAgent(text(client, "userAgent", "rawUserAgent"));
    JsonNode geo = member(client, "geographicalContext");
    label(b, "source.geo.country_name", text(geo, "country"));
    label(b, "source.geo.region_name", text(geo, "state"));
    label(b, "source.geo.city_name", text(geo, "city"));

    b.sessionId(known(text(n, "authenticationContext", "externalSessionId")));

    JsonNode outcome = member(n, "outcome");
    String result = text(outcome, "result");
    b.outcome(outcome(result));
    label(b, "okta.outcome_result", result);
    label(b, "okta.outcome_reason", text(outcome, "reason"));
    label(b, "okta.display_message", text(n, "displayMessage"));
    label(b, "okta.severity", text(n, "severity"));

    JsonNode security = member(n, "securityContext");
    label(b, "okta.is_proxy", text(security, "isProxy"));
    label(b, "okta.as_number", text(security, "asNumber"));
    label(b, "okta.as_org", text(security, "asOrg"));
    label(b, "okta.isp", text(security, "isp"));
    label(b, "okta.domain", text(security, "domain"));

    JsonNode debug = JsonSourceSupport.at(n, "debugContext", "debugData");
    String requestUri = text(debug, "requestUri");
    if (requestUri != null) {
      b.urlPath(JsonSourceSupport.pathOf(requestUri));
    }
    label(b, "okta.threat_suspected", text(debug, "threatSuspected"));
    label(b, "okta.behaviors", text(debug, "behaviors"));
    label(b, "okta.risk", text(debug, "risk"));

    targets(b, member(n, "target"));
    return JsonSourceSupport.build(b, item, DATASET, context);
  }

  /**
   * The first target is the resource; the first target of type User is {@code okta.target_user}.
   */
  private static void targets(AccessEvent.Builder b, JsonNode targets) {
    if (targets == null || !targets.isArray()) {
      return;
    }
    boolean first = true;
    String targetUser = null;
    for (JsonNode t : targets) {
      String id = text(t, "alternateId");
      if (id == null || id.equals(UNKNOWN)) {
        id = text(t, "id");
      }
      if (first && t.isObject()) {
        b.resourceType(text(t, "type")).resourceId(id);
        first = false;
      }
      if (targetUser == null && "User".equals(text(t, "type"))) {
        targetUser = id;
      }
    }
    label(b, "okta.target_user", targetUser);
  }

  /**
   * SUCCESS and ALLOW are success; FAILURE and DENY failure; CHALLENGE, SKIPPED, UNKNOWN and none
   * are unknown (the attempt has not ended).
   */
  static Outcome outcome(String result) {
    if (result == null) {
      return Outcome.UNKNOWN;
    }
    return switch (result.toUpperCase(Locale.ROOT)) {
      case "SUCCESS", "ALLOW" -> Outcome.SUCCESS;
      case "FAILURE", "DENY" -> Outcome.FAILURE;
      default -> Outcome.UNKNOWN;
    };
  }

  /**
   * {@code authentication} for sign-ins, authentication steps, OAuth and SSO; {@code session} for
   * sessions ended or cleared; {@code iam} for accounts, lifecycle, factors, groups, memberships,
   * privileges and policies; {@code configuration} for other system, application and org changes;
   * none otherwise.
   */
  static String category(String eventType) {
    if (eventType.equals("user.session.end")
        || eventType.equals("user.session.expire")
        || eventType.equals("user.session.clear")) {
      return "session";
    }
    if (eventType.startsWith("user.session.")
        || eventType.startsWith("user.authentication.")
        || eventType.startsWith("app.oauth2.")) {
      return "authentication";
    }
    if (eventType.startsWith("user.account.")
        || eventType.startsWith("user.lifecycle.")
        || eventType.startsWith("user.mfa.")
        || eventType.startsWith("system.mfa.")
        || eventType.startsWith("user.credential.")
        || eventType.startsWith("group.")
        || eventType.startsWith("application.user_membership.")
        || eventType.startsWith("policy.")
        || eventType.startsWith("iam.")) {
      return "iam";
    }
    if (eventType.startsWith("system.")
        || eventType.startsWith("application.")
        || eventType.startsWith("app.")
        || eventType.startsWith("org.")
        || eventType.startsWith("zone.")
        || eventType.startsWith("network_zone.")) {
      return "configuration";
    }
    return null;
  }

  private static String known(String id) {
    return id == null || id.equalsIgnoreCase(UNKNOWN) ? null : id;
  }

  private static AccessEvent unparsed(Item item, String reason, ParseContext context) {
    return JsonSourceSupport.unparsed(item, DATASET, reason, context);
  }
}
