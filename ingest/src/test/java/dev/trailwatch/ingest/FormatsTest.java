package dev.trailwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry: every format the issue names is there, and syslog routes by program. */
class FormatsTest {
  private static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void namesEveryFormat() {
    assertThat(Formats.standard().names())
        .contains(
            "syslog",
            "sshd",
            "ndjson",
            "nginx",
            "apache",
            "apache_error",
            "sudo",
            "su",
            "auditd",
            "k8s-audit",
            "cloudtrail",
            "okta");
  }

  @Test
  void syslogRoutesByProgram() {
    List<AccessEvent> out = new ArrayList<>();
    RecordParser syslog = Formats.standard().get("syslog").orElseThrow();
    syslog.parse(
        "Nov 22 10:00:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ;"
            + " COMMAND=/usr/bin/id",
        CTX,
        out::add);
    syslog.parse(
        "Nov 22 10:00:01 web1 nginx: 192.0.2.9 - - [22/Nov/2026:10:00:01 +0000] \"GET / HTTP/1.1\""
            + " 200 12 \"-\" \"curl/8\"",
        CTX,
        out::add);
    syslog.parse("Nov 22 10:00:02 web1 cron[12]: (root) CMD (true)", CTX, out::add);
    assertThat(out)
        .extracting(e -> e.event().dataset().orElse(""))
        .containsExactly("sudo", "nginx.access", "unparsed");
    assertThat(out.get(2).labels().get("parse_error")).contains("no parser for the program 'cron'");
    assertThat(out.get(2).hostName()).hasValue("web1");
  }

  @Test
  void plainNginxLinesUnderTheirOwnName() {
    List<AccessEvent> out = new ArrayList<>();
    Formats.standard()
        .get("nginx")
        .orElseThrow()
        .parse(
            "192.0.2.9 - bob [22/Nov/2026:10:00:01 +0000] \"POST /login HTTP/1.1\" 401 12 \"-\" \"x\"",
            CTX,
            out::add);
    assertThat(out.get(0).user().name()).hasValue("bob");
    assertThat(out.get(0).event().outcome().name()).isEqualTo("FAILURE");
  }
}
