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

/** Hand-written CloudTrail records (own values); real ones in {@link CloudTrailRealDataTest}. */
class CloudTrailParserTest {
  private final CloudTrailParser parser = new CloudTrailParser();

  private static final String S3_READ =
      """
      {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole",\
      "principalId":"AROAEXAMPLEROLEID:ivan@example.test",\
      "arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Analyst_0a1b/ivan@example.test",\
      "accountId":"111122223333","accessKeyId":"ASIAEXAMPLEKEY000001",\
      "sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLEROLEID",\
      "arn":"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Analyst_0a1b",\
      "accountId":"111122223333","userName":"AWSReservedSSO_Analyst_0a1b"},\
      "attributes":{"creationDate":"2026-02-01T08:00:00Z","mfaAuthenticated":"true"}}},\
      "eventTime":"2026-02-01T09:30:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",\
      "awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.33","userAgent":"aws-cli/2.15.0",\
      "requestParameters":{"bucketName":"finance-reports","key":"2026/q1.csv","Host":"finance-reports.s3.amazonaws.com"},\
      "responseElements":null,"requestID":"REQ0000000001","eventID":"e0000000-0000-4000-8000-000000000001",\
      "readOnly":true,"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::finance-reports/2026/q1.csv"}],\
      "eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333",\
      "eventCategory":"Data"}""";

  @Test
  void assumedRoleReadsAnS3Object() {
    AccessEvent e = parsed(parser, S3_READ);
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-02-01T09:30:00Z"));
    assertThat(get(e, "event.dataset")).isEqualTo("cloudtrail");
    assertThat(get(e, "event.action")).isEqualTo("GetObject");
    assertThat(get(e, "event.id")).isEqualTo("e0000000-0000-4000-8000-000000000001");
    assertThat(get(e, "trace.id")).isEqualTo("REQ0000000001");
    assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(get(e, "event.category")).isEqualTo("configuration");
    assertThat(get(e, "service.name")).isEqualTo("s3.amazonaws.com");
    assertThat(get(e, "user.name")).isEqualTo("ivan@example.test"); // the session name
    assertThat(get(e, "user.id")).isEqualTo("AROAEXAMPLEROLEID:ivan@example.test");
    assertThat(e.user().roles()).containsExactly("AWSReservedSSO_Analyst_0a1b");
    assertThat(get(e, "source.ip")).isEqualTo("198.51.100.33");
    assertThat(get(e, "user_agent.original")).isEqualTo("aws-cli/2.15.0");
    assertThat(get(e, "resource.type")).isEqualTo("s3.object");
    assertThat(get(e, "resource.id")).isEqualTo("finance-reports/2026/q1.csv");
    assertThat(e.message()).hasValue(S3_READ);
    assertThat(e.labels())
        .containsEntry("aws.user_type", "AssumedRole")
        .containsEntry("aws.account_id", "111122223333")
        .containsEntry("aws.region", "eu-west-1")
        .containsEntry("aws.access_key_id", "ASIAEXAMPLEKEY000001")
        .containsEntry("aws.read_only", "true")
        .containsEntry("aws.mfa_authenticated", "true")
        .containsEntry("aws.event_type", "AwsApiCall")
        .containsEntry(
            "aws.arn",
            "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Analyst_0a1b/ivan@example.test")
        .doesNotContainKeys("aws.error_code", "aws.mfa_used");
  }

  private static String consoleLogin(String identity, String result, String mfa, String extra) {
    return "{\"eventVersion\":\"1.08\",\"userIdentity\":"
        + identity
        + ",\"eventTime\":\"2026-02-02T07:00:00Z\",\"eventSource\":\"signin.amazonaws.com\","
        + "\"eventName\":\"ConsoleLogin\",\"awsRegion\":\"us-east-1\","
        + "\"sourceIPAddress\":\"203.0.113.50\",\"userAgent\":\"Mozilla/5.0\","
        + "\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":\""
        + result
        + "\"},\"additionalEventData\":{\"MobileVersion\":\"No\",\"MFAUsed\":\""
        + mfa
        + "\"},\"eventID\":\"c-1\",\"eventType\":\"AwsConsoleSignIn\","
        + "\"recipientAccountId\":\"444455556666\""
        + extra
        + "}";
  }

  @Test
  void consoleLogins() {
    String judy =
        "{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLEJUDY\",\"accountId\":\"444455556666\","
            + "\"arn\":\"arn:aws:iam::444455556666:user/ops/judy\",\"userName\":\"judy\"}";
    AccessEvent ok = parsed(parser, consoleLogin(judy, "Success", "Yes", ""));
    assertThat(ok.event().outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(get(ok, "event.category")).isEqualTo("authentication");
    assertThat(get(ok, "user.name")).isEqualTo("judy");
    assertThat(ok.labels()).containsEntry("aws.mfa_used", "true");

    AccessEvent failed =
        parsed(
            parser,
            consoleLogin(judy, "Failure", "No", ",\"errorMessage\":\"Failed authentication\""));
    assertThat(failed.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(failed.labels())
        .containsEntry("aws.mfa_used", "false")
        .containsEntry("aws.error_message", "Failed authentication");

    String root =
        "{\"type\":\"Root\",\"principalId\":\"444455556666\",\"accountId\":\"444455556666\","
            + "\"arn\":\"arn:aws:iam::444455556666:root\",\"accessKeyId\":\"\"}";
    AccessEvent rootLogin = parsed(parser, consoleLogin(root, "Success", "No", ""));
    assertThat(get(rootLogin, "user.name")).isEqualTo("root");
    assertThat(get(rootLogin, "user.id")).isEqualTo("444455556666");
    assertThat(rootLogin.labels())
        .containsEntry("aws.user_type", "Root")
        .doesNotContainKey("aws.access_key_id"); // "" is absent
  }

  @Test
  void errorCodeMeansFailure() {
    String denied =
        "{\"eventTime\":\"2026-02-03T00:00:00Z\",\"eventSource\":\"iam.amazonaws.com\","
            + "\"eventName\":\"CreateAccessKey\",\"errorCode\":\"AccessDenied\","
            + "\"errorMessage\":\"User: arn:aws:iam::444455556666:user/mallory is not authorized\","
            + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::444455556666:user/mallory\"},"
            + "\"requestParameters\":{\"userName\":\"judy\"},\"sourceIPAddress\":\"192.0.2.66\"}";
    AccessEvent e = parsed(parser, denied);
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(get(e, "event.category")).isEqualTo("iam");
    assertThat(get(e, "user.name")).isEqualTo("mallory"); // from the ARN: no userName
    assertThat(get(e, "user.id")).isEqualTo("arn:aws:iam::444455556666:user/mallory");
    assertThat(get(e, "resource.type")).isEqualTo("iam.user");
    assertThat(get(e, "resource.id")).isEqualTo("judy");
    assertThat(e.labels()).containsEntry("aws.error_code", "AccessDenied");
  }

  @Test
  void awsServiceCallerAndServiceSourceAddress() {
    String record =
        "{\"eventTime\":\"2026-02-03T00:00:00Z\",\"eventSource\":\"kms.amazonaws.com\","
            + "\"eventName\":\"Decrypt\",\"userIdentity\":{\"type\":\"AWSService\","
            + "\"invokedBy\":\"ec2.amazonaws.com\"},\"sourceIPAddress\":\"ec2.amazonaws.com\","
            + "\"requestParameters\":{\"keyId\":\"arn:aws:kms:us-east-1:444455556666:key/k-1\"},"
            + "\"readOnly\":\"true\"}";
    AccessEvent e = parsed(parser, record);
    assertThat(get(e, "user.name")).isEqualTo("ec2.amazonaws.com");
    assertThat(e.source().ip()).isEmpty();
    assertThat(e.labels())
        .containsEntry("source.address", "ec2.amazonaws.com")
        .containsEntry("aws.invoked_by", "ec2.amazonaws.com")
        .containsEntry("aws.read_only", "true");
    assertThat(get(e, "resource.type")).isEqualTo("kms.key");
  }

  @Test
  void assumeRoleUsesTheRoleArnAndIsAuthentication() {
    String record =
        "{\"eventTime\":\"2026-02-03T00:00:00Z\",\"eventSource\":\"sts.amazonaws.com\","
            + "\"eventName\":\"AssumeRole\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"kim\"},"
            + "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::444455556666:role/deploy\","
            + "\"roleSessionName\":\"kim-deploy\"},\"sourceIPAddress\":\"192.0.2.7\"}";
    AccessEvent e = parsed(parser, record);
    assertThat(get(e, "event.category")).isEqualTo("authentication");
    assertThat(get(e, "resource.type")).isEqualTo("iam.role");
    assertThat(get(e, "resource.id")).isEqualTo("arn:aws:iam::444455556666:role/deploy");
    assertThat(CloudTrailParser.category("sts.amazonaws.com", "GetCallerIdentity"))
        .isEqualTo("iam");
    assertThat(CloudTrailParser.category("rds.amazonaws.com", "DeleteDBInstance"))
        .isEqualTo("database");
    assertThat(CloudTrailParser.category("ssm.amazonaws.com", "SendCommand")).isEqualTo("process");
    assertThat(CloudTrailParser.category("ec2.amazonaws.com", "RunInstances"))
        .isEqualTo("configuration");
  }

  @Test
  void attachedPolicyIsKeptWhenTheUserIsTheResource() {
    String record =
        "{\"eventTime\":\"2026-02-03T00:00:00Z\",\"eventSource\":\"iam.amazonaws.com\","
            + "\"eventName\":\"AttachUserPolicy\",\"userIdentity\":{\"userName\":\"kim\"},"
            + "\"requestParameters\":{\"userName\":\"lee\","
            + "\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}}";
    AccessEvent e = parsed(parser, record);
    assertThat(get(e, "resource.id")).isEqualTo("lee");
    assertThat(e.labels())
        .containsEntry("aws.policy_arn", "arn:aws:iam::aws:policy/AdministratorAccess");
  }

  @Test
  void recordsWrapperAndArray() {
    String a =
        "{\"eventTime\":\"2026-02-03T00:00:00Z\",\"eventName\":\"ListBuckets\","
            + "\"eventSource\":\"s3.amazonaws.com\",\"userIdentity\":{\"userName\":\"kim\"}}";
    String b =
        "{\"eventTime\":\"2026-02-03T00:00:01Z\",\"eventName\":\"GetBucketAcl\","
            + "\"eventSource\":\"s3.amazonaws.com\",\"userIdentity\":{\"userName\":\"kim\"},"
            + "\"requestParameters\":{\"bucketName\":\"logs-bucket\"}}";
    for (String record :
        List.of("{\"Records\":[" + a + ",\n  " + b + "]}", "[" + a + "," + b + "]")) {
      List<AccessEvent> events = parse(parser, record);
      assertThat(events).hasSize(2).noneMatch(AccessEvent::isUnparsed);
      assertThat(events.get(0).message()).hasValue(a);
      assertThat(events.get(1).message()).hasValue(b);
      assertThat(get(events.get(1), "resource.type")).isEqualTo("s3.bucket");
      assertThat(get(events.get(1), "resource.id")).isEqualTo("logs-bucket");
    }
    assertThat(unparsedReason(parser, "{\"Records\":[]}")).contains("holds no records");
  }

  @Test
  void eventBridgeEnvelope() {
    String record =
        "{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\","
            + "\"detail\":{\"eventTime\":\"2026-02-03T00:00:00Z\",\"eventName\":\"CreateUser\","
            + "\"eventSource\":\"iam.amazonaws.com\",\"userIdentity\":{\"userName\":\"kim\"},"
            + "\"requestParameters\":{\"userName\":\"newbie\"}}}";
    AccessEvent e = parsed(parser, record);
    assertThat(get(e, "event.action")).isEqualTo("CreateUser");
    assertThat(get(e, "resource.id")).isEqualTo("newbie");
    assertThat(e.message()).hasValue(record);
  }

  @Test
  void timesWithoutOffsetAreInTheContextZone() {
    String record =
        "{\"eventTime\":\"2026-02-03 04:05:06.000000000\",\"eventName\":\"ListUsers\","
            + "\"userIdentity\":{\"userName\":\"kim\"}}";
    assertThat(parsed(parser, record).timestamp()).isEqualTo(Instant.parse("2026-02-03T04:05:06Z"));
  }

  @Test
  void notCloudTrail() {
    assertThat(unparsedReason(parser, "{\"foo\":1}"))
        .isEqualTo("cloudtrail: not a CloudTrail record: no eventName");
    assertThat(
            unparsedReason(parser, "{\"eventName\":\"X\",\"userIdentity\":{\"userName\":\"a\"}}"))
        .contains("no eventTime");
    assertThat(
            unparsedReason(
                parser,
                "{\"eventName\":\"X\",\"eventTime\":\"2026-13-01T00:00:00Z\","
                    + "\"userIdentity\":{\"userName\":\"a\"}}"))
        .startsWith("cloudtrail: eventTime: ");
    assertThat(
            unparsedReason(parser, "{\"eventName\":\"X\",\"eventTime\":\"2026-01-01T00:00:00Z\"}"))
        .contains("at least one of user.name");
    assertThat(
            unparsedReason(
                parser, "{\"eventName\":{\"a\":1},\"eventTime\":\"2026-01-01T00:00:00Z\"}"))
        .contains("no eventName"); // the wrong type counts as absent
    assertThat(unparsedReason(parser, "\"ConsoleLogin\""))
        .contains("expected a JSON object, found a string");
  }
}
