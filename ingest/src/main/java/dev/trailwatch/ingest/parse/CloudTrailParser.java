package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceSupport.bool;
import static dev.trailwatch.ingest.parse.JsonSourceSupport.label;
import static dev.trailwatch.ingest.parse.JsonSourceSupport.member;
import static dev.trailwatch.ingest.parse.JsonSourceSupport.scalarText;
import static dev.trailwatch.ingest.parse.JsonSourceSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.parse.JsonSourceSupport.Item;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * AWS CloudTrail records: one record per JSON value, the {@code {"Records":[...]}} wrapper of the
 * files CloudTrail writes to S3 (one event per record), a JSON array of records (CloudTrail Lake
 * and {@code lookup-events} exports, Stratus Red Team's logs), or an EventBridge envelope whose
 * {@code detail} is the record. The mapping table is docs/parsers/json-sources.md.
 *
 * <p>{@code user.name}, in order of precedence: {@code userIdentity.userName}; the last part of
 * {@code userIdentity.arn} (the session name of an assumed role, {@code root} for the root user);
 * {@code sessionContext.sessionIssuer.userName} (the role); {@code invokedBy} (an AWS service);
 * none. The role of an assumed-role session goes to {@code user.roles}.
 *
 * <p>A record without {@code eventName}, or without {@code eventTime} (or Panther's {@code
 * p_event_time}), is unparsed. Thread-safe and stateless.
 */
public final class CloudTrailParser implements RecordParser {
  /** The {@code event.dataset}. */
  public static final String DATASET = "cloudtrail";

  private static final Set<String> AUTHENTICATION_ACTIONS =
      Set.of(
          "ConsoleLogin",
          "GetSessionToken",
          "GetFederationToken",
          "AssumeRole",
          "AssumeRoleWithSAML",
          "AssumeRoleWithWebIdentity",
          "AssumeRoot",
          "CheckMfa",
          "ExternalIdPDirectoryLogin",
          "CredentialVerification",
          "UserAuthentication");

  private static final Set<String> IAM_SOURCES =
      Set.of(
          "iam.amazonaws.com",
          "sts.amazonaws.com",
          "sso.amazonaws.com",
          "sso-directory.amazonaws.com",
          "identitystore.amazonaws.com",
          "access-analyzer.amazonaws.com");

  private static final Set<String> DATABASE_SOURCES =
      Set.of(
          "rds.amazonaws.com",
          "rds-data.amazonaws.com",
          "dynamodb.amazonaws.com",
          "redshift.amazonaws.com",
          "redshift-data.amazonaws.com");

  /** What a request parameter names, per service; the first one present is the resource. */
  private record ResourceParameter(String source, String parameter, String type) {}

  private static final List<ResourceParameter> RESOURCE_PARAMETERS =
      List.of(
          new ResourceParameter("iam.amazonaws.com", "userName", "iam.user"),
          new ResourceParameter("iam.amazonaws.com", "roleName", "iam.role"),
          new ResourceParameter("iam.amazonaws.com", "groupName", "iam.group"),
          new ResourceParameter("iam.amazonaws.com", "policyArn", "iam.policy"),
          new ResourceParameter("iam.amazonaws.com", "instanceProfileName", "iam.instance_profile"),
          new ResourceParameter("sts.amazonaws.com", "roleArn", "iam.role"),
          new ResourceParameter("s3.amazonaws.com", "bucketName", "s3.bucket"),
          new ResourceParameter(
              "secretsmanager.amazonaws.com", "secretId", "secretsmanager.secret"),
          new ResourceParameter("ec2.amazonaws.com", "instanceId", "ec2.instance"),
          new ResourceParameter("ec2.amazonaws.com", "groupId", "ec2.security_group"),
          new ResourceParameter("ssm.amazonaws.com", "instanceId", "ec2.instance"),
          new ResourceParameter("ssm.amazonaws.com", "instanceIds", "ec2.instance"),
          new ResourceParameter("cloudtrail.amazonaws.com", "name", "cloudtrail.trail"),
          new ResourceParameter("lambda.amazonaws.com", "functionName", "lambda.function"),
          new ResourceParameter("kms.amazonaws.com", "keyId", "kms.key"));

  @Override
  public String format() {
    return "cloudtrail";
  }

  @Override
  public Framing framing() {
    return Framing.JSON;
  }

  @Override
  public void parse(String record, ParseContext context, Consumer<AccessEvent> out) {
    JsonSourceSupport.eachEvent(
        record,
        "Records",
        DATASET,
        "the Records array holds no records",
        context,
        out,
        CloudTrailParser::event);
  }

  private static AccessEvent event(Item item, ParseContext context) {
    JsonNode n = item.node();
    if (!n.isObject()) {
      return unparsed(
          item,
          "expected a CloudTrail record object, found " + JsonSourceSupport.describe(n),
          context);
    }
    JsonNode detail = member(n, "detail");
    if (member(n, "eventName") == null
        && detail != null
        && detail.isObject()
        && member(n, "detail-type") != null) {
      n = detail; // EventBridge: "AWS API Call via CloudTrail", "AWS Console Sign In via
      // CloudTrail"
    }
    String action = text(n, "eventName");
    if (action == null) {
      return unparsed(item, "not a CloudTrail record: no eventName", context);
    }
    Instant time = null;
    for (String field : List.of("eventTime", "p_event_time")) {
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
      return unparsed(item, "the record has no eventTime", context);
    }
    String source = text(n, "eventSource");
    AccessEvent.Builder b =
        AccessEvent.builder()
            .timestamp(time)
            .action(action)
            .dataset(DATASET)
            .eventId(text(n, "eventID"))
            .traceId(text(n, "requestID"))
            .serviceName(source)
            .userAgent(text(n, "userAgent"))
            .message(item.text());

    JsonNode identity = member(n, "userIdentity");
    identity(b, identity);
    JsonSourceSupport.sourceAddress(b, text(n, "sourceIPAddress"));

    String account = text(n, "recipientAccountId");
    label(b, "aws.account_id", account != null ? account : text(identity, "accountId"));
    label(b, "aws.region", text(n, "awsRegion"));
    label(b, "aws.event_type", text(n, "eventType"));
    Boolean readOnly = bool(n, "readOnly");
    if (readOnly != null) {
      b.label("aws.read_only", readOnly.toString());
    }

    String errorCode = text(n, "errorCode");
    label(b, "aws.error_code", errorCode);
    label(b, "aws.error_message", text(n, "errorMessage"));
    b.outcome(outcome(n, action, errorCode));

    Boolean mfaUsed = bool(n, "additionalEventData", "MFAUsed");
    if (mfaUsed != null) {
      b.label("aws.mfa_used", mfaUsed.toString());
    }
    label(b, "aws.saml_provider_arn", text(n, "additionalEventData", "SamlProviderArn"));
    resource(b, n, source);
    b.category(category(source, action));
    return JsonSourceSupport.build(b, item, DATASET, context);
  }

  private static void identity(AccessEvent.Builder b, JsonNode identity) {
    if (identity == null) {
      return;
    }
    String arn = text(identity, "arn");
    JsonNode session = member(identity, "sessionContext");
    String role = text(session, "sessionIssuer", "userName");
    String name = text(identity, "userName");
    if (name == null && arn != null) {
      name = lastPart(arn);
    }
    if (name == null) {
      name = role;
    }
    if (name == null) {
      name = text(identity, "invokedBy");
    }
    b.userName(name);
    String principal = text(identity, "principalId");
    b.userId(principal != null ? principal : arn);
    if (role != null && "Role".equals(text(session, "sessionIssuer", "type"))) {
      b.userRoles(List.of(role));
    }
    label(b, "aws.user_type", text(identity, "type"));
    label(b, "aws.arn", arn);
    label(b, "aws.access_key_id", text(identity, "accessKeyId"));
    label(b, "aws.invoked_by", text(identity, "invokedBy"));
    Boolean mfa = bool(session, "attributes", "mfaAuthenticated");
    if (mfa != null) {
      b.label("aws.mfa_authenticated", mfa.toString());
    }
  }

  /** {@code user/path/alice} gives alice, {@code ...:root} gives root; null when empty. */
  private static String lastPart(String arn) {
    int cut = Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':'));
    String last = arn.substring(cut + 1);
    return last.isEmpty() ? null : last;
  }

  /**
   * Failure when there is an error code, or when a sign-in event's response says {@code Failure}
   * ({@code responseElements.ConsoleLogin}; other sign-in events answer under their own name);
   * success otherwise: CloudTrail records a call that was made and answered.
   */
  private static Outcome outcome(JsonNode n, String action, String errorCode) {
    if (errorCode != null) {
      return Outcome.FAILURE;
    }
    String answer = text(n, "responseElements", action);
    if (answer != null && answer.equalsIgnoreCase("Failure")) {
      return Outcome.FAILURE;
    }
    return Outcome.SUCCESS;
  }

  private static void resource(AccessEvent.Builder b, JsonNode n, String source) {
    JsonNode parameters = member(n, "requestParameters");
    if (source != null && parameters != null && parameters.isObject()) {
      for (ResourceParameter p : RESOURCE_PARAMETERS) {
        if (!p.source().equals(source)) {
          continue;
        }
        JsonNode value = member(parameters, p.parameter());
        if (value != null && value.isArray() && !value.isEmpty()) {
          value = value.get(0);
        }
        String id = scalarText(value);
        if (id == null) {
          continue;
        }
        String key = p.type().equals("s3.bucket") ? text(parameters, "key") : null;
        if (key != null) {
          b.resourceType("s3.object").resourceId(id + "/" + key);
        } else {
          b.resourceType(p.type()).resourceId(id);
        }
        if (!p.parameter().equals("policyArn")) {
          label(b, "aws.policy_arn", text(parameters, "policyArn"));
        }
        return;
      }
    }
    JsonNode resources = member(n, "resources");
    if (resources != null && resources.isArray() && !resources.isEmpty()) {
      JsonNode first = resources.get(0);
      String id = text(first, "ARN");
      if (id != null) {
        b.resourceType(text(first, "type")).resourceId(id);
      }
    }
  }

  /**
   * {@code authentication} for sign-ins, role assumption and session tokens; {@code iam} for IAM,
   * STS (other calls), IAM Identity Center and Access Analyzer; {@code database} for RDS, DynamoDB
   * and Redshift; {@code process} for SSM commands and sessions; {@code configuration} for every
   * other service.
   */
  static String category(String source, String action) {
    if (AUTHENTICATION_ACTIONS.contains(action) || "signin.amazonaws.com".equals(source)) {
      return "authentication";
    }
    if (source == null) {
      return null;
    }
    if (IAM_SOURCES.contains(source)) {
      return "iam";
    }
    if (DATABASE_SOURCES.contains(source)) {
      return "database";
    }
    if (source.equals("ssm.amazonaws.com")
        && (action.equals("SendCommand") || action.equals("StartSession"))) {
      return "process";
    }
    return "configuration";
  }

  private static AccessEvent unparsed(Item item, String reason, ParseContext context) {
    return JsonSourceSupport.unparsed(item, DATASET, reason, context);
  }
}
