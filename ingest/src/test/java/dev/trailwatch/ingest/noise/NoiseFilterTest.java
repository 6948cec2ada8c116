package dev.trailwatch.ingest.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoiseFilterTest {
  private static AccessEvent web(String path, String ip) {
    return AccessEvent.builder()
        .timestamp(Instant.parse("2026-11-22T10:00:00Z"))
        .action("http_request")
        .outcome(Outcome.SUCCESS)
        .category("web")
        .dataset("nginx.access")
        .sourceIp(ip)
        .urlPath(path)
        .build();
  }

  private static AccessEvent login(String ip) {
    return AccessEvent.builder()
        .timestamp(Instant.parse("2026-11-22T10:00:00Z"))
        .action("ssh_login")
        .outcome(Outcome.SUCCESS)
        .category("authentication")
        .dataset("sshd")
        .sourceIp(ip)
        .build();
  }

  @Test
  void dropsWhatEveryConditionMatches() {
    NoiseRule health =
        new NoiseRule(
            "health",
            NoiseRule.Action.DROP,
            0,
            Map.of(
                "url.path", List.of("/healthz", "/status/*"), "source.ip", List.of("10.0.0.0/8")),
            false);
    NoiseFilter f = new NoiseFilter(List.of(health));
    assertThat(f.keep(web("/healthz", "10.1.2.3"))).isFalse();
    assertThat(f.keep(web("/status/db", "10.1.2.3"))).isFalse();
    assertThat(f.keep(web("/healthz", "192.0.2.1"))).isTrue(); // outside the range
    assertThat(f.keep(web("/login", "10.1.2.3"))).isTrue();
    assertThat(health.matched()).isEqualTo(2);
    assertThat(health.removed()).isEqualTo(2);
  }

  @Test
  void authenticationAndIamNeedForce() {
    Map<String, List<String>> when = Map.of("source.ip", List.of("192.0.2.0/24"));
    NoiseRule soft = new NoiseRule("soft", NoiseRule.Action.DROP, 0, when, false);
    assertThat(new NoiseFilter(List.of(soft)).keep(login("192.0.2.5"))).isTrue();
    assertThat(soft.protectedCount()).isEqualTo(1);
    assertThat(soft.removed()).isZero();
    NoiseRule forced = new NoiseRule("forced", NoiseRule.Action.DROP, 0, when, true);
    assertThat(new NoiseFilter(List.of(forced)).keep(login("192.0.2.5"))).isFalse();
  }

  @Test
  void samplingKeepsExactlyOneInN() {
    NoiseRule sample =
        new NoiseRule(
            "sample",
            NoiseRule.Action.SAMPLE,
            0.1,
            Map.of("event.dataset", List.of("nginx.*")),
            false);
    NoiseFilter f = new NoiseFilter(List.of(sample));
    List<AccessEvent> in = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      in.add(web("/x" + i, "192.0.2.1"));
    }
    assertThat(f.apply(in)).hasSize(100);
    assertThat(sample.removed()).isEqualTo(900);
  }

  @Test
  void unparsedEventsAreNeverDropped() {
    NoiseRule all =
        new NoiseRule("all", NoiseRule.Action.DROP, 0, Map.of("event.dataset", List.of("*")), true);
    assertThat(
            new NoiseFilter(List.of(all))
                .keep(AccessEvent.unparsed("x", "why", Instant.parse("2026-11-22T10:00:00Z"))))
        .isTrue();
  }

  @Test
  void badRulesSayWhatIsWrong() {
    assertThatThrownBy(
            () ->
                new NoiseRule(
                    "r", NoiseRule.Action.DROP, 0, Map.of("user.nmae", List.of("a")), false))
        .hasMessageContaining("'user.nmae' is not a schema field");
    assertThatThrownBy(
            () ->
                new NoiseRule(
                    "r", NoiseRule.Action.SAMPLE, 2, Map.of("user.name", List.of("a")), false))
        .hasMessageContaining("sample_rate");
    assertThatThrownBy(
            () ->
                new NoiseRule(
                    "r",
                    NoiseRule.Action.DROP,
                    0,
                    Map.of("source.ip", List.of("10.0.0.0/33")),
                    false))
        .hasMessageContaining("not a CIDR range");
    assertThatThrownBy(() -> new NoiseRule("r", NoiseRule.Action.DROP, 0, Map.of(), false))
        .hasMessageContaining("'when' is empty");
  }
}
