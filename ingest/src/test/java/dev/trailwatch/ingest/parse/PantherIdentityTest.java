package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceTesting.data;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.parsed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.RecordParser;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * Panther's rule tests (identity/panther-analysis-tests, read in place): every Okta and CloudTrail
 * {@code Log} parses with its parser, and for each rule a predicate over our fields, the ones the
 * rule's decision hinges on, gives the test's {@code ExpectedResult}. Logs of other sources (Box,
 * GSuite, OneLogin, GCP, Asana, 1Password) are counted and left to their own parsers.
 *
 * <p>Panther's events are hand-edited: times without an offset ({@code 2022-11-22 18:48:49.177}),
 * keys in lower case ({@code eventtype}, as Go tools accept), no {@code published} or {@code
 * eventTime} but Panther's {@code p_event_time}. The parsers accept all three (see their Javadoc).
 */
class PantherIdentityTest {
  private static final String DIR = "identity/panther-analysis-tests/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OktaParser okta = new OktaParser();
  private final CloudTrailParser cloudTrail = new CloudTrailParser();

  /** Mocks that decide a test case regardless of the event: the rule reads outside state. */
  private static boolean mock(JsonNode test, String name) {
    for (JsonNode m : test.path("Mocks")) {
      if (m.path("objectName").asText().equals(name)
          && m.path("returnValue").asText().equalsIgnoreCase("true")) {
        return true;
      }
    }
    return false;
  }

  private static String label(AccessEvent e, String key) {
    return e.labels().get(key);
  }

  /** Per rule file: does our event say the rule fires? (The test case for mocks.) */
  private static final Map<String, BiPredicate<AccessEvent, JsonNode>> RULES =
      Map.of(
          "okta_user_account_locked.yml",
          (e, t) -> e.event().action().equals("user.account.lock"),
          "okta_anonymizing_vpn_login.yml",
          (e, t) ->
              e.event().action().equals("user.session.start")
                  && "true".equals(label(e, "okta.is_proxy")),
          "okta_login_signal.yml",
          (e, t) ->
              e.event().action().equals("user.session.start")
                  && e.event().outcome() == Outcome.SUCCESS,
          "okta_admin_disabled_mfa.yml",
          (e, t) -> e.event().action().equals("system.mfa.factor.deactivate"),
          "brute_force_by_user.yml",
          (e, t) ->
              e.event().category().orElse("").equals("authentication")
                  && e.event().outcome() == Outcome.FAILURE,
          "aws_console_login_without_mfa.yml",
          (e, t) ->
              e.event().action().equals("ConsoleLogin")
                  && e.event().outcome() == Outcome.SUCCESS
                  && "false".equals(label(e, "aws.mfa_used"))
                  && !"true".equals(label(e, "aws.mfa_authenticated"))
                  && label(e, "aws.saml_provider_arn") == null
                  && e.user().roles().stream().noneMatch(r -> r.startsWith("AWSReservedSSO_"))
                  // Mocked outside state: the account is new, or the role comes from an IdP.
                  && !mock(t, "check_account_age")
                  && !(mock(t, "ROLES_VIA_EXTERNAL_IDP") && !e.user().roles().isEmpty()));

  @Test
  void everyOktaAndCloudTrailLogParsesAndDecidesLikeTheRule() throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    int oktaLogs = 0;
    int cloudTrailLogs = 0;
    int otherLogs = 0;
    for (Map.Entry<String, BiPredicate<AccessEvent, JsonNode>> rule : RULES.entrySet()) {
      JsonNode file = yaml.readTree(data(DIR + rule.getKey()).toFile());
      Set<String> ruleTypes = new HashSet<>();
      file.path("LogTypes").forEach(t -> ruleTypes.add(t.asText()));
      for (JsonNode test : file.path("Tests")) {
        JsonNode log = test.path("Log");
        String type =
            log.has("p_log_type")
                ? log.get("p_log_type").asText()
                : ruleTypes.size() == 1 ? ruleTypes.iterator().next() : "?";
        RecordParser parser =
            switch (type) {
              case "Okta.SystemLog" -> okta;
              case "AWS.CloudTrail" -> cloudTrail;
              default -> null;
            };
        if (parser == null) {
          otherLogs++;
          continue;
        }
        if (parser == okta) {
          oktaLogs++;
        } else {
          cloudTrailLogs++;
        }
        String name = rule.getKey() + " / " + test.path("Name").asText();
        AccessEvent e = parsed(parser, JSON.writeValueAsString(log));
        assertThat(e.event().dataset()).as(name).hasValue(parser == okta ? "okta" : "cloudtrail");
        boolean expected = test.path("ExpectedResult").asBoolean();
        assertThat(rule.getValue().test(e, test))
            .as("%s: expected %s; event %s", name, expected, e)
            .isEqualTo(expected);
      }
    }
    assertThat(oktaLogs).isEqualTo(12);
    assertThat(cloudTrailLogs).isEqualTo(13);
    assertThat(otherLogs).isEqualTo(11);
  }

  @Test
  void lockedAccount() throws IOException {
    JsonNode test =
        new YAMLMapper()
            .readTree(data(DIR + "okta_user_account_locked.yml").toFile())
            .path("Tests")
            .get(0);
    AccessEvent e = parsed(okta, JSON.writeValueAsString(test.path("Log")));
    assertThat(e.event().action()).isEqualTo("user.account.lock");
    assertThat(e.event().category()).hasValue("iam");
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(e.user().name()).hasValue("homer.simpson@duff.com");
    assertThat(e.user().id()).hasValue("00abc123");
    assertThat(e.correlation().sessionId()).hasValue("abcd-1234");
    assertThat(e.event().id()).hasValue("aa-bb-cc-11");
    assertThat(e.source().ip().orElseThrow().toString()).isEqualTo("1.2.3.4");
    assertThat(e.timestamp()).hasToString("2022-11-22T18:48:49.177Z");
    assertThat(e.web().urlPath()).hasValue("/idp/idx/identify");
    assertThat(e.labels())
        .containsEntry("okta.outcome_reason", "LOCKED_OUT")
        .containsEntry(
            "okta.display_message",
            "Account Locked from New Devices - Max sign-in attempts exceeded.")
        .containsEntry("okta.as_org", "at&t corp.")
        .containsEntry("okta.is_proxy", "false")
        .containsEntry("source.geo.city_name", "Atlanta");
  }

  @Test
  void consoleLoginFromAnSsoSession() throws IOException {
    JsonNode tests =
        new YAMLMapper()
            .readTree(data(DIR + "aws_console_login_without_mfa.yml").toFile())
            .path("Tests");
    JsonNode sso = null;
    for (JsonNode t : tests) {
      if (t.path("Name").asText().equals("AWS SSOv2 Login")) {
        sso = t.path("Log");
      }
    }
    assertThat(sso).isNotNull();
    AccessEvent e = parsed(cloudTrail, JSON.writeValueAsString(sso));
    assertThat(e.user().name()).hasValue("foo@bar.com");
    assertThat(e.user().roles()).containsExactly("AWSReservedSSO_developer_admin_asdf");
    assertThat(e.user().id()).hasValue("xxx:foo@bar.com");
    assertThat(e.timestamp()).hasToString("2022-03-16T19:17:41Z");
    assertThat(e.labels())
        .containsEntry("aws.mfa_used", "false")
        .containsEntry("aws.mfa_authenticated", "false")
        .containsEntry("aws.user_type", "AssumedRole");
  }
}
