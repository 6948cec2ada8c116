package dev.trailwatch.ingest.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trailwatch.event.AccessEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real rsyslog forwarding to the receiver with {@code omfwd}: {@code logger} sends N messages to an
 * unprivileged {@code rsyslogd} (foreground, its own configuration, work directory and pid file in
 * a temporary directory, listening with {@code imtcp} on an ephemeral loopback port), which
 * forwards them over TCP, once with octet counting and the RFC 5424 template, once with traditional
 * newline framing and the RFC 3164 template. Every message must arrive exactly once, parsed.
 * Skipped when rsyslogd is not installed ({@code apt-get install rsyslog}).
 */
class RsyslogInteropTest {
  private static final String RSYSLOGD = "/usr/sbin/rsyslogd";
  private static final String LOGGER = "/usr/bin/logger";
  private static final int N = 500;

  @TempDir Path dir;

  @Test
  void octetCountedRfc5424() throws Exception {
    relay("octet-counted", "RSYSLOG_SyslogProtocol23Format");
  }

  @Test
  void traditionalNewlineFramingRfc3164() throws Exception {
    relay("traditional", "RSYSLOG_TraditionalForwardFormat");
  }

  private void relay(String framing, String template) throws Exception {
    assumeTrue(
        Processes.installed(RSYSLOGD),
        RSYSLOGD
            + " is not installed (apt-get install rsyslog): rsyslog interoperability not tested");
    assumeTrue(Processes.installed(LOGGER), LOGGER + " is not installed (util-linux)");
    TestSinks.Collecting sink = new TestSinks.Collecting();
    try (SyslogServer server =
        SyslogServer.start(SyslogConfig.defaults().withTcp(0), TestFormat.create(), sink)) {
      Path portFile = dir.resolve("imtcp.port");
      Path config = dir.resolve("rsyslog.conf");
      Files.writeString(
          config,
          String.join(
              "\n",
              "global(workDirectory=\"" + dir + "\")",
              "module(load=\"imtcp\")",
              "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\"",
              "      listenPortFileName=\"" + portFile + "\" ruleset=\"forward\")",
              "ruleset(name=\"forward\") {",
              "  action(type=\"omfwd\" target=\"127.0.0.1\" port=\""
                  + server.tcpPort().getAsInt()
                  + "\"",
              "         protocol=\"tcp\" TCP_Framing=\""
                  + framing
                  + "\" template=\""
                  + template
                  + "\")",
              "}",
              ""));
      Path log = dir.resolve("rsyslogd.log");
      Process rsyslogd =
          new ProcessBuilder(
                  RSYSLOGD,
                  "-n",
                  "-f",
                  config.toString(),
                  "-i",
                  dir.resolve("rsyslogd.pid").toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        Await.until(
            "rsyslogd to listen",
            () -> rsyslogd.isAlive() && readPort(portFile) > 0,
            () -> "alive=" + rsyslogd.isAlive() + ", log: " + readQuietly(log));
        String lines =
            IntStream.range(0, N)
                .mapToObj(i -> "relayed " + i + "\n")
                .collect(Collectors.joining());
        Processes.run(
            List.of(
                LOGGER,
                "--server",
                "127.0.0.1",
                "--port",
                Integer.toString(readPort(portFile)),
                "--tcp",
                "--octet-count",
                "--rfc5424",
                "-t",
                "twrelay",
                "--id=31"),
            lines);
        Await.until(
            N + " relayed events",
            () -> sink.size() >= N,
            () -> server.stats() + ", rsyslogd log: " + readQuietly(log));
        List<AccessEvent> events = sink.events();
        assertThat(events).hasSize(N);
        assertThat(events).noneMatch(AccessEvent::isUnparsed);
        Map<String, AccessEvent> got = SyslogServerTest.byText(events); // fails on a duplicate
        assertThat(got.keySet())
            .containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, N).mapToObj(i -> "relayed " + i).toList());
        AccessEvent e = got.get("relayed " + (N - 1));
        assertThat(e.hostName()).hasValue(Processes.hostName());
        assertThat(e.serviceName()).hasValue("twrelay");
        assertThat(e.labels())
            .containsEntry("syslog.procid", "31")
            .containsEntry("syslog.transport", "tcp")
            .containsEntry("syslog.peer", "127.0.0.1");
        assertThat(server.stats().framingErrors()).isZero();
      } finally {
        rsyslogd.destroy();
        if (!rsyslogd.waitFor(10, TimeUnit.SECONDS)) {
          rsyslogd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static int readPort(Path file) {
    String s = readQuietly(file).trim();
    return s.matches("[0-9]{1,5}") ? Integer.parseInt(s) : -1;
  }

  private static String readQuietly(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, UTF_8) : "";
    } catch (java.io.IOException e) {
      return "(" + e + ")";
    }
  }
}
