package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.search.index.IndexerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private ServerConfig load(String yaml, Map<String, String> env) throws Exception {
    Path f = dir.resolve("trailwatch.yaml");
    Files.writeString(f, yaml);
    return ConfigLoader.load(Optional.of(f), env);
  }

  @Test
  void defaultsWithoutAFile() {
    ServerConfig c = ConfigLoader.load(Optional.empty(), Map.of());
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.http().maxBodyBytes()).isEqualTo(16L << 20);
    assertThat(c.syslog().tcpPort()).isEqualTo(5514);
    assertThat(c.syslog().udpPort()).isEqualTo(5514);
    assertThat(c.syslog().tlsPort()).isEqualTo(-1);
  }

  @Test
  void fileThenEnvironment() throws Exception {
    ServerConfig c =
        load(
            """
            http:
              port: 9000
            syslog:
              tcp_port: 6000
              timezone: Europe/Berlin
            noise:
              - name: health
                when:
                  url.path: [/healthz, /readyz]
            mappings:
              - format: myapp
                fields:
                  ts: "@timestamp"
                  who: user.name
                constants:
                  event.action: login
                  event.outcome: success
            """,
            Map.of("TRAILWATCH_HTTP_PORT", "9100", "TRAILWATCH_SYSLOG_PORT", "7000"));
    assertThat(c.http().port()).isEqualTo(9100);
    assertThat(c.syslog().tcpPort()).isEqualTo(7000);
    assertThat(c.syslog().udpPort()).isEqualTo(7000);
    assertThat(c.syslog().zone().getId()).isEqualTo("Europe/Berlin");
    assertThat(c.noiseFilter().rules()).hasSize(1);
    assertThat(c.formats().get("myapp")).isPresent();
  }

  @Test
  void indexSettings() throws Exception {
    IndexerConfig defaults = ConfigLoader.load(Optional.empty(), Map.of()).index().indexerConfig();
    assertThat(defaults.commitEvery()).isEqualTo(1_000_000);
    IndexerConfig c =
        load("index:\n  threads: 1\n  commit_every: 5000\n  commit_interval_seconds: 2\n", Map.of())
            .index()
            .indexerConfig();
    assertThat(c.threads()).isEqualTo(1);
    assertThat(c.commitEvery()).isEqualTo(5000);
    assertThat(c.commitInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> load("index:\n  threads: 0\n", Map.of()))
        .hasMessageContaining("index.threads must be 1 to 64");
  }

  @Test
  void errorsNameFileLineAndSetting() {
    assertThatThrownBy(() -> load("http:\n  prot: 1\n", Map.of()))
        .hasMessageContaining("trailwatch.yaml: line 2, column 3: unknown setting 'http.prot'")
        .hasMessageContaining("known here: ");
    assertThatThrownBy(() -> load("http:\n  port: 70000\n", Map.of()))
        .hasMessageContaining("line 2")
        .hasMessageContaining("http.port must be 0-65535");
    assertThatThrownBy(() -> load("http: [\n", Map.of()))
        .hasMessageContaining("'http' should be a mapping");
    assertThatThrownBy(() -> load("http:\n  port: 1\n bad: [\n", Map.of()))
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> load("http:\n  port: many\n", Map.of()))
        .hasMessageContaining("'http.port' should be a number");
    assertThatThrownBy(() -> load("syslog:\n  timezone: Mars/Base\n", Map.of()))
        .hasMessageContaining("'Mars/Base' is not a time zone");
    assertThatThrownBy(() -> load("noise:\n  - name: x\n    when:\n      user.nmae: a\n", Map.of()))
        .hasMessageContaining("'user.nmae' is not a schema field");
    assertThatThrownBy(
            () ->
                load(
                    "mappings:\n  - format: syslog\n    fields: {t: \"@timestamp\", a: user.name}\n"
                        + "    constants: {event.action: x, event.outcome: success}\n",
                    Map.of()))
        .hasMessageContaining("taken by a built-in format");
    assertThatThrownBy(
            () -> ConfigLoader.load(Optional.empty(), Map.of("TRAILWATCH_HTTP_PORT", "http")))
        .hasMessageContaining("TRAILWATCH_HTTP_PORT='http' is not a port");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("none.yaml")), Map.of()))
        .hasMessageContaining("no such configuration file");
  }
}
