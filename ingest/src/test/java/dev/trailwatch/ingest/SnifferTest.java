package dev.trailwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnifferTest {
  private static final Path DATA =
      Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"));

  private static Optional<String> sniff(String text, String name) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return Sniffer.sniff(b, b.length, name);
  }

  private static Optional<String> sniffFile(String relative) throws IOException {
    Path p = DATA.resolve(relative);
    assumeTrue(Files.exists(p), "shared test data not found at " + p.toAbsolutePath());
    try (InputStream in = Files.newInputStream(p)) {
      byte[] head = in.readNBytes(64 << 10);
      return Sniffer.sniff(head, head.length, p.getFileName().toString());
    }
  }

  @Test
  void handWrittenStarts() {
    assertThat(
            sniff("Nov 22 08:00:00 h sshd[1]: Accepted password for a from 192.0.2.1", "auth.log"))
        .hasValue("syslog");
    assertThat(sniff("<13>1 2026-11-22T08:00:00Z h app - - - x", "x")).hasValue("syslog");
    assertThat(sniff("2026-11-22T08:00:00.123456+00:00 h sshd[1]: x", "x")).hasValue("syslog");
    assertThat(
            sniff(
                "192.0.2.1 - - [22/Nov/2026:08:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"",
                "/var/log/nginx/access.log"))
        .hasValue("nginx");
    assertThat(sniff("192.0.2.1 - - [22/Nov/2026:08:00:00 +0000] \"GET / HTTP/1.1\" 200 1", "a"))
        .hasValue("apache");
    assertThat(sniff("type=USER_LOGIN msg=audit(1.2:3): pid=1", "audit.log")).hasValue("auditd");
    assertThat(sniff("{\"Records\":[{\"eventVersion\":\"1.08\"}]}", "ct.json"))
        .hasValue("cloudtrail");
    assertThat(sniff("{\"kind\":\"Event\",\"auditID\":\"x\",\"verb\":\"get\"}", "a"))
        .hasValue("k8s-audit");
    assertThat(
            sniff("{\"uuid\":\"x\",\"published\":\"t\",\"eventType\":\"user.session.start\"}", "o"))
        .hasValue("okta");
    assertThat(sniff("{\"@timestamp\":\"2026-11-22T08:00:00Z\"}", "e.ndjson")).hasValue("ndjson");
    assertThat(sniff("hello world", "x")).isEmpty();
    assertThat(sniff("   \n  ", "x")).isEmpty();
  }

  @Test
  void realFiles() throws IOException {
    assertThat(sniffFile("ssh/loghub-openssh/OpenSSH_2k.log")).hasValue("syslog");
    assertThat(sniffFile("web/elastic-examples-apache/apache_logs")).hasValue("apache");
    assertThat(sniffFile("audit/go-libaudit-auparse/audit-rhel7.log")).hasValue("auditd");
    assertThat(sniffFile("audit/falco-k8s-audit/trace_files/create_secret.json"))
        .hasValue("k8s-audit");
  }
}
