package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written Apache error-log lines (documentation addresses, made-up users). */
class ApacheErrorParserTest {
  private static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  private static final ApacheErrorParser PARSER = new ApacheErrorParser();

  private static AccessEvent one(String line) {
    List<AccessEvent> out = new ArrayList<>();
    PARSER.parse(line, CTX, out::add);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).message()).hasValue(line);
    return out.get(0);
  }

  private static AccessEvent failure(String line) {
    AccessEvent e = one(line);
    assertThat(e.isUnparsed()).as("%s: %s", line, e.labels()).isFalse();
    assertThat(e.event().action()).isEqualTo("http_auth");
    assertThat(e.event().category()).hasValue("authentication");
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(e.event().dataset()).hasValue("apache.error");
    return e;
  }

  @Test
  void apache24PasswordMismatch() {
    AccessEvent e =
        failure(
            "[Sun Nov 22 10:15:32.123456 2026] [auth_basic:error] [pid 812:tid 140] [client"
                + " 192.0.2.1:51390] AH01617: user alice: authentication failure for \"/private\":"
                + " Password Mismatch");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-22T10:15:32.123456Z"));
    assertThat(e.source().ip().map(Object::toString)).hasValue("192.0.2.1");
    assertThat(e.source().port()).hasValue(51390);
    assertThat(e.user().name()).hasValue("alice");
    assertThat(e.web().urlPath()).hasValue("/private");
    assertThat(e.labels()).containsEntry("apache.error_code", "AH01617");
  }

  @Test
  void userNotFoundInBothVersionsAndIpv6() {
    AccessEvent old =
        failure("[Sun Nov 22 10:15:32 2026] [error] [client 198.51.100.3] user bob not found: /x");
    assertThat(old.user().name()).hasValue("bob");
    assertThat(old.web().urlPath()).hasValue("/x");
    AccessEvent empty =
        failure("[Sun Nov 22 10:15:32 2026] [error] [client 198.51.100.3] user  not found: /x");
    assertThat(empty.user().name()).isEmpty();
    AccessEvent v6 =
        failure(
            "[Sun Nov 22 10:15:32.1 2026] [auth_basic:error] [pid 1] [client"
                + " [2001:db8::5]:4431] AH01618: user carol not found: /x, referer: http://a/");
    assertThat(v6.source().ip().map(Object::toString)).hasValue("2001:db8::5");
    assertThat(v6.user().name()).hasValue("carol");
    assertThat(v6.web().urlPath()).hasValue("/x");
    AccessEvent remote =
        failure(
            "[Sun Nov 22 10:15:32 2026] [auth_basic:error] [pid 1] [remote 203.0.113.8:1]"
                + " AH01618: user dave not found: /admin");
    assertThat(remote.user().name()).hasValue("dave");
  }

  @Test
  void digest() {
    AccessEvent mismatch =
        failure(
            "[Sun Nov 22 10:15:32 2026] [error] [client 192.0.2.4] Digest: user erin: password"
                + " mismatch: /d/");
    assertThat(mismatch.user().name()).hasValue("erin");
    assertThat(mismatch.web().urlPath()).hasValue("/d/");
    AccessEvent realm =
        failure(
            "[Sun Nov 22 10:15:32 2026] [auth_digest:error] [pid 2] [client 192.0.2.4:3] AH01790:"
                + " user `frank' in realm `private area' not found: /d/");
    assertThat(realm.user().name()).hasValue("frank");
  }

  @Test
  void otherLinesAreUnparsed() {
    for (String line :
        List.of(
            "",
            "[Sun Nov 22 10:15:32 2026] [notice] workerEnv.init() ok /etc/x.properties",
            "[Sun Nov 22 10:15:32 2026] [error] [client 192.0.2.1] File does not exist: /x",
            "[Sun Nov 22 10:15:32 2026] [error] [client 192.0.2.1] File does not exist: /[client"
                + " 192.0.2.9] user root not found",
            "[Sun Nov 22 10:15:32 2026] [error] [client host.example] user x not found: /",
            "[Sun Nov 22 10:15:32 2026] [error] [client 192.0.2.1",
            "192.0.2.1 - - [22/Nov/2026:10:15:32 +0000] \"GET / HTTP/1.1\" 401 1")) {
      AccessEvent e = one(line);
      assertThat(e.isUnparsed()).as(line).isTrue();
    }
  }
}
