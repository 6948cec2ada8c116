package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceTesting.get;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.parse;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.parsed;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.unparsedReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written Okta System Log events (own values); Panther's in {@link PantherIdentityTest}. */
class OktaParserTest {
  private final OktaParser parser = new OktaParser();

  private static final String RESET =
      """
      {"actor":{"id":"00uadmin0001","type":"User","alternateId":"olga.admin@example.test",\
      "displayName":"Olga Admin","detailEntry":null},\
      "client":{"userAgent":{"rawUserAgent":"Mozilla/5.0 (X11; Linux x86_64)","os":"Linux",\
      "browser":"FIREFOX"},"zone":"null","device":"Computer","id":null,"ipAddress":"203.0.113.88",\
      "geographicalContext":{"city":"Lyon","state":"Auvergne-Rhone-Alpes","country":"France",\
      "postalCode":"69001","geolocation":{"lat":45.76,"lon":4.83}}},\
      "authenticationContext":{"authenticationProvider":null,"externalSessionId":"102sessionABC",\
      "authenticationStep":0},\
      "displayMessage":"Reset all factors for user","eventType":"user.mfa.factor.reset_all",\
      "outcome":{"result":"SUCCESS","reason":null},"published":"2026-04-05T06:07:08.901Z",\
      "securityContext":{"asNumber":64500,"asOrg":"example transit","isp":"example isp",\
      "domain":"example.net","isProxy":false},"severity":"INFO",\
      "debugContext":{"debugData":{"requestUri":"/api/v1/users/00uvictim01/lifecycle/reset_factors",\
      "threatSuspected":"false","requestId":"req-1"}},\
      "legacyEventType":"core.user.factor.reset_all","transaction":{"type":"WEB","id":"txn-77",\
      "detail":{}},"uuid":"5a1e0000-aaaa-11ee-8000-000000000001","version":"0",\
      "request":{"ipChain":[{"ip":"203.0.113.88","version":"V4"}]},\
      "target":[{"id":"00uvictim01","type":"User","alternateId":"peter.user@example.test",\
      "displayName":"Peter User","detailEntry":null}]}""";

  @Test
  void adminResetsAUsersFactors() {
    AccessEvent e = parsed(parser, RESET);
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-04-05T06:07:08.901Z"));
    assertThat(get(e, "event.dataset")).isEqualTo("okta");
    assertThat(get(e, "event.action")).isEqualTo("user.mfa.factor.reset_all");
    assertThat(get(e, "event.category")).isEqualTo("iam");
    assertThat(get(e, "event.id")).isEqualTo("5a1e0000-aaaa-11ee-8000-000000000001");
    assertThat(get(e, "trace.id")).isEqualTo("txn-77");
    assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(get(e, "user.name")).isEqualTo("olga.admin@example.test");
    assertThat(get(e, "user.id")).isEqualTo("00uadmin0001");
    assertThat(get(e, "source.ip")).isEqualTo("203.0.113.88");
    assertThat(get(e, "user_agent.original")).isEqualTo("Mozilla/5.0 (X11; Linux x86_64)");
    assertThat(get(e, "session.id")).isEqualTo("102sessionABC");
    assertThat(get(e, "url.path")).isEqualTo("/api/v1/users/00uvictim01/lifecycle/reset_factors");
    assertThat(get(e, "resource.type")).isEqualTo("User");
    assertThat(get(e, "resource.id")).isEqualTo("peter.user@example.test");
    assertThat(e.message()).hasValue(RESET);
    assertThat(e.labels())
        .containsEntry("okta.target_user", "peter.user@example.test")
        .containsEntry("okta.display_message", "Reset all factors for user")
        .containsEntry("okta.outcome_result", "SUCCESS")
        .containsEntry("okta.actor_type", "User")
        .containsEntry("okta.actor_display_name", "Olga Admin")
        .containsEntry("source.geo.country_name", "France")
        .containsEntry("source.geo.region_name", "Auvergne-Rhone-Alpes")
        .containsEntry("source.geo.city_name", "Lyon")
        .containsEntry("okta.is_proxy", "false")
        .containsEntry("okta.as_number", "64500")
        .containsEntry("okta.as_org", "example transit")
        .containsEntry("okta.isp", "example isp")
        .containsEntry("okta.domain", "example.net")
        .containsEntry("okta.threat_suspected", "false")
        .containsEntry("okta.severity", "INFO")
        .doesNotContainKey("okta.outcome_reason"); // null in the source
  }

  @Test
  void outcomes() {
    assertThat(OktaParser.outcome("SUCCESS")).isEqualTo(Outcome.SUCCESS);
    assertThat(OktaParser.outcome("ALLOW")).isEqualTo(Outcome.SUCCESS);
    assertThat(OktaParser.outcome("FAILURE")).isEqualTo(Outcome.FAILURE);
    assertThat(OktaParser.outcome("DENY")).isEqualTo(Outcome.FAILURE);
    assertThat(OktaParser.outcome("CHALLENGE")).isEqualTo(Outcome.UNKNOWN);
    assertThat(OktaParser.outcome("SKIPPED")).isEqualTo(Outcome.UNKNOWN);
    assertThat(OktaParser.outcome("UNKNOWN")).isEqualTo(Outcome.UNKNOWN);
    assertThat(OktaParser.outcome(null)).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void categories() {
    assertThat(OktaParser.category("user.session.start")).isEqualTo("authentication");
    assertThat(OktaParser.category("user.authentication.auth_via_mfa")).isEqualTo("authentication");
    assertThat(OktaParser.category("app.oauth2.as.token.grant")).isEqualTo("authentication");
    assertThat(OktaParser.category("user.session.end")).isEqualTo("session");
    assertThat(OktaParser.category("user.account.lock")).isEqualTo("iam");
    assertThat(OktaParser.category("group.user_membership.add")).isEqualTo("iam");
    assertThat(OktaParser.category("application.user_membership.add")).isEqualTo("iam");
    assertThat(OktaParser.category("policy.lifecycle.update")).isEqualTo("iam");
    assertThat(OktaParser.category("system.mfa.factor.deactivate")).isEqualTo("iam");
    assertThat(OktaParser.category("system.org.rate_limit.warning")).isEqualTo("configuration");
    assertThat(OktaParser.category("application.lifecycle.create")).isEqualTo("configuration");
    assertThat(OktaParser.category("security.threat.detected")).isNull();
  }

  @Test
  void unknownIdsAreLeftOutAndTheIpChainStandsInForTheClient() {
    String record =
        "{\"uuid\":\"u-2\",\"published\":\"2026-04-05T06:07:08Z\",\"eventType\":\"user.session.start\","
            + "\"actor\":{\"id\":\"unknown\",\"alternateId\":\"nobody@example.test\",\"type\":\"User\"},"
            + "\"authenticationContext\":{\"externalSessionId\":\"unknown\"},"
            + "\"request\":{\"ipChain\":[{\"ip\":\"2001:db8::77\"}]},"
            + "\"outcome\":{\"result\":\"FAILURE\",\"reason\":\"VERIFICATION_ERROR\"},"
            + "\"target\":[{\"type\":\"AppInstance\",\"alternateId\":\"unknown\",\"id\":\"0oa1\"}]}";
    AccessEvent e = parsed(parser, record);
    assertThat(e.user().id()).isEmpty();
    assertThat(e.correlation().sessionId()).isEmpty();
    assertThat(get(e, "source.ip")).isEqualTo("2001:db8::77");
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(e.labels()).containsEntry("okta.outcome_reason", "VERIFICATION_ERROR");
    assertThat(get(e, "resource.id")).isEqualTo("0oa1");
    assertThat(e.labels()).doesNotContainKey("okta.target_user");
  }

  @Test
  void arrayOfEventsFromTheApi() {
    String a =
        "{\"uuid\":\"a\",\"published\":\"2026-04-05T06:07:08Z\",\"eventType\":\"user.session.end\","
            + "\"actor\":{\"alternateId\":\"rita@example.test\"}}";
    String b =
        "{\"uuid\":\"b\",\"published\":\"2026-04-05T06:07:09Z\",\"eventType\":\"group.user_membership.add\","
            + "\"actor\":{\"alternateId\":\"rita@example.test\"},\"target\":[{\"type\":\"UserGroup\","
            + "\"id\":\"00g1\"},{\"type\":\"User\",\"alternateId\":\"sam@example.test\"}]}";
    List<AccessEvent> events = parse(parser, "[" + a + ",\n" + b + "]\n");
    assertThat(events).hasSize(2).noneMatch(AccessEvent::isUnparsed);
    assertThat(events.get(0).message()).hasValue(a);
    assertThat(get(events.get(0), "event.category")).isEqualTo("session");
    assertThat(events.get(0).event().outcome()).isEqualTo(Outcome.UNKNOWN); // no outcome given
    assertThat(get(events.get(1), "resource.type")).isEqualTo("UserGroup");
    assertThat(events.get(1).labels()).containsEntry("okta.target_user", "sam@example.test");
    assertThat(unparsedReason(parser, "[]")).isEqualTo("okta: the array holds no events");
  }

  @Test
  void keysInAnyCaseAsGoToolsWriteThem() {
    String record =
        "{\"eventtype\":\"user.account.lock\",\"published\":\"2026-04-05 06:07:08.5\","
            + "\"actor\":{\"alternateid\":\"tom@example.test\"},\"displaymessage\":\"Max sign-in attempts exceeded\","
            + "\"outcome\":{\"result\":\"FAILURE\",\"reason\":\"LOCKED_OUT\"}}";
    AccessEvent e = parsed(parser, record);
    assertThat(get(e, "event.action")).isEqualTo("user.account.lock");
    assertThat(get(e, "user.name")).isEqualTo("tom@example.test");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-04-05T06:07:08.5Z"));
    assertThat(e.labels())
        .containsEntry("okta.display_message", "Max sign-in attempts exceeded")
        .containsEntry("okta.outcome_reason", "LOCKED_OUT");
  }

  @Test
  void notOkta() {
    assertThat(unparsedReason(parser, "{\"uuid\":\"x\"}"))
        .isEqualTo("okta: not an Okta System Log event: no eventType");
    assertThat(
            unparsedReason(
                parser, "{\"eventType\":\"user.session.start\",\"actor\":{\"alternateId\":\"a\"}}"))
        .contains("no published time");
    assertThat(
            unparsedReason(
                parser,
                "{\"eventType\":\"user.session.start\",\"published\":\"2026-04-05T06:07:08Z\"}"))
        .contains("at least one of user.name");
    assertThat(
            unparsedReason(
                parser,
                "{\"eventType\":\"x\",\"published\":\"05/04/2026\",\"actor\":{\"alternateId\":\"a\"}}"))
        .startsWith("okta: published: ");
  }
}
