package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceTesting.data;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.get;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Stratus Red Team's CloudTrail detonation logs (cloud/stratus-red-team-cloudtrail, read in place):
 * each file is a JSON array of the records one attack technique produced. Every record parses; the
 * events each technique's documentation names (its "Detection" section) carry the fields that
 * detect it.
 *
 * <p>The project pseudonymised source addresses, some into forms that are not strict IPv4 (leading
 * zeros: {@code 225.01.00.16}); those go to the label {@code source.address}, by design: a leading
 * zero is octal to some tools.
 */
class CloudTrailRealDataTest {
  private static final String DIR = "cloud/stratus-red-team-cloudtrail/detonation-logs/";
  private final CloudTrailParser parser = new CloudTrailParser();

  private List<AccessEvent> events(String technique) throws IOException {
    String text = Files.readString(data(DIR + technique + ".json"), StandardCharsets.UTF_8);
    List<AccessEvent> events = parse(parser, text);
    for (AccessEvent e : events) {
      assertThat(e.isUnparsed()).as("%s: %s", technique, e.labels()).isFalse();
    }
    return events;
  }

  @Test
  void everyRecordOfEveryDetonationParses() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    int withIp = 0;
    int withAddressLabel = 0;
    try (Stream<Path> files = Files.list(data(DIR))) {
      for (Path f : files.sorted().toList()) {
        String technique = f.getFileName().toString().replace(".json", "");
        List<AccessEvent> events = events(technique);
        counts.put(technique, events.size());
        for (AccessEvent e : events) {
          assertThat(e.event().dataset()).hasValue("cloudtrail");
          assertThat(e.event().id()).isPresent();
          assertThat(e.user().name()).isPresent();
          assertThat(e.user().id()).isPresent();
          assertThat(e.serviceName()).isPresent();
          assertThat(e.labels()).containsKeys("aws.account_id", "aws.region", "aws.user_type");
          // Each event's message is its own record, sliced from the file's array.
          assertThat(e.message().orElseThrow()).startsWith("{").endsWith("}");
          assertThat(e.message().orElseThrow()).contains(e.event().id().orElseThrow());
          withIp += e.source().ip().isPresent() ? 1 : 0;
          withAddressLabel += e.labels().containsKey("source.address") ? 1 : 0;
        }
      }
    }
    assertThat(counts)
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.ofEntries(
                    Map.entry("aws.credential-access.ec2-steal-instance-credentials", 45),
                    Map.entry("aws.credential-access.secretsmanager-retrieve-secrets", 21),
                    Map.entry("aws.defense-evasion.cloudtrail-delete", 1),
                    Map.entry("aws.defense-evasion.cloudtrail-stop", 1),
                    Map.entry("aws.discovery.ec2-download-user-data", 19),
                    Map.entry("aws.exfiltration.ec2-security-group-open-port-22-ingress", 1),
                    Map.entry("aws.initial-access.console-login-without-mfa", 1),
                    Map.entry("aws.persistence.iam-backdoor-user", 1),
                    Map.entry("aws.persistence.iam-create-admin-user", 3),
                    Map.entry("aws.persistence.iam-create-user-login-profile", 3),
                    Map.entry("aws.privilege-escalation.iam-update-user-login-profile", 1))));
    assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(97);
    // 18.236.253.47 (45), 253.201.144.253 (21) and the other strict addresses: 72 records; the 25
    // pseudonymised with leading zeros are labels.
    assertThat(withIp).isEqualTo(72);
    assertThat(withAddressLabel).isEqualTo(25);
  }

  /** The same records, one at a time, as the JSON framing hands them over: the same events. */
  @Test
  void recordsOneByOneGiveTheSameEvents() throws IOException {
    String technique = "aws.persistence.iam-create-admin-user";
    List<AccessEvent> whole = events(technique);
    for (AccessEvent e : whole) {
      List<AccessEvent> again = parse(parser, e.message().orElseThrow());
      assertThat(again).containsExactly(e);
    }
  }

  @Test
  void consoleLoginWithoutMfa() throws IOException {
    AccessEvent e = events("aws.initial-access.console-login-without-mfa").get(0);
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-08-02T08:53:24Z"));
    assertThat(get(e, "event.action")).isEqualTo("ConsoleLogin");
    assertThat(get(e, "event.category")).isEqualTo("authentication");
    assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(get(e, "event.id")).isEqualTo("865d9377-9c6b-4fd7-8aad-725e95f6a140");
    assertThat(get(e, "service.name")).isEqualTo("signin.amazonaws.com");
    assertThat(get(e, "user.name")).isEqualTo("stratus-red-team-nmfalu-jfzdtsvchl");
    assertThat(get(e, "user.id")).isEqualTo("AIDA1ERT0661IN5R239V");
    assertThat(e.labels())
        .containsEntry("aws.mfa_used", "false")
        .containsEntry("aws.user_type", "IAMUser")
        .containsEntry("aws.account_id", "562283505220")
        .containsEntry("aws.region", "eu-west-2r")
        .containsEntry("aws.read_only", "false")
        .containsEntry("source.address", "225.01.00.16");
  }

  @Test
  void iamUserAndKeyCreation() throws IOException {
    List<AccessEvent> events = events("aws.persistence.iam-create-admin-user");
    assertThat(events)
        .extracting(e -> e.event().action())
        .containsExactlyInAnyOrder("CreateUser", "AttachUserPolicy", "CreateAccessKey");
    for (AccessEvent e : events) {
      assertThat(get(e, "event.category")).isEqualTo("iam");
      assertThat(get(e, "user.name")).isEqualTo("christophe");
      assertThat(get(e, "resource.type")).isEqualTo("iam.user");
      assertThat(get(e, "resource.id")).isEqualTo("malicious-iam-user");
      assertThat(e.labels()).containsEntry("aws.access_key_id", "AKIAOZUDECYXYM4ONAN4");
    }
    AccessEvent attach =
        events.stream()
            .filter(e -> e.event().action().equals("AttachUserPolicy"))
            .findFirst()
            .orElseThrow();
    assertThat(attach.labels())
        .containsEntry("aws.policy_arn", "arn:aws:iam::aws:policy/AdministratorAccess");
    assertThat(get(attach, "event.id")).isEqualTo("083dc4ad-e264-46bc-a407-d0dd31b58bdc");
    assertThat(get(attach, "trace.id")).isEqualTo("710f2703-6e8a-46d5-9924-b12a3a681755");

    AccessEvent backdoor = events("aws.persistence.iam-backdoor-user").get(0);
    assertThat(get(backdoor, "event.action")).isEqualTo("CreateAccessKey");
    assertThat(get(backdoor, "resource.id")).isEqualTo("stratus-red-team-backdoor-u-user");
  }

  @Test
  void failureWithErrorCode() throws IOException {
    AccessEvent e =
        events("aws.persistence.iam-create-user-login-profile").stream()
            .filter(x -> x.event().action().equals("DeleteLoginProfile"))
            .findFirst()
            .orElseThrow();
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(e.labels())
        .containsEntry("aws.error_code", "EntityTemporarilyUnmodifiableException")
        .containsEntry(
            "aws.error_message",
            "Login Profile for User stratus-red-team-login-profile-user cannot be modified while"
                + " login profile is being created.");
    assertThat(get(e, "resource.id")).isEqualTo("stratus-red-team-login-profile-user");
  }

  @Test
  void assumedRoleDeniedUserData() throws IOException {
    List<AccessEvent> events = events("aws.discovery.ec2-download-user-data");
    List<AccessEvent> denied =
        events.stream()
            .filter(e -> e.event().action().equals("DescribeInstanceAttribute"))
            .toList();
    assertThat(denied).hasSize(15);
    for (AccessEvent e : denied) {
      assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
      assertThat(e.labels()).containsEntry("aws.error_code", "Client.UnauthorizedOperation");
      assertThat(get(e, "user.name")).isEqualTo("aws-go-sdk-1722455550269043000");
      assertThat(e.user().roles()).containsExactly("stratus-red-team-get-usr-data-role");
      assertThat(e.labels())
          .containsEntry("aws.user_type", "AssumedRole")
          .containsEntry("aws.mfa_authenticated", "false");
      assertThat(get(e, "resource.type")).isEqualTo("ec2.instance");
    }
    assertThat(events.stream().filter(e -> e.event().action().equals("AssumeRole")))
        .hasSize(4)
        .allMatch(e -> "authentication".equals(get(e, "event.category")))
        .extracting(e -> e.event().outcome())
        .containsExactlyInAnyOrder(
            Outcome.SUCCESS, Outcome.SUCCESS, Outcome.FAILURE, Outcome.FAILURE);
  }

  @Test
  void trailStoppedAndDeletedAndSecretsRead() throws IOException {
    AccessEvent stop = events("aws.defense-evasion.cloudtrail-stop").get(0);
    assertThat(get(stop, "event.action")).isEqualTo("StopLogging");
    assertThat(get(stop, "resource.type")).isEqualTo("cloudtrail.trail");
    assertThat(get(stop, "resource.id")).isEqualTo("stratus-red-team-ct-stop-trail-buykxbqejv");
    AccessEvent delete = events("aws.defense-evasion.cloudtrail-delete").get(0);
    assertThat(get(delete, "event.action")).isEqualTo("DeleteTrail");
    List<AccessEvent> secrets = events("aws.credential-access.secretsmanager-retrieve-secrets");
    assertThat(secrets.stream().filter(e -> e.event().action().equals("GetSecretValue")))
        .hasSize(20)
        .allMatch(e -> "secretsmanager.secret".equals(get(e, "resource.type")))
        .allMatch(e -> "253.201.144.253".equals(get(e, "source.ip")))
        .allMatch(e -> "true".equals(e.labels().get("aws.read_only")));
    AccessEvent ingress = events("aws.exfiltration.ec2-security-group-open-port-22-ingress").get(0);
    assertThat(get(ingress, "resource.type")).isEqualTo("ec2.security_group");
    assertThat(get(ingress, "resource.id")).isEqualTo("sg-003dc7f1f1c686164");
    List<AccessEvent> ssm = events("aws.credential-access.ec2-steal-instance-credentials");
    AccessEvent send =
        ssm.stream()
            .filter(e -> e.event().action().equals("SendCommand"))
            .findFirst()
            .orElseThrow();
    assertThat(get(send, "event.category")).isEqualTo("process");
    assertThat(get(send, "resource.id")).isEqualTo("i-786a3A8B5C0d92eF4");
  }
}
