package dev.trailwatch.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trailwatch.event.AccessEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * util-linux {@code logger} (2.38) sending to the receiver: TCP with octet counting and RFC 5424,
 * TCP with newline framing and RFC 3164, UDP with both; several messages per invocation (one per
 * line of its standard input).
 */
class LoggerInteropTest {
  private static final String LOGGER = "/usr/bin/logger";

  private TestSinks.Collecting sink;
  private SyslogServer server;
  private String host;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(Processes.installed(LOGGER), LOGGER + " is not installed (util-linux)");
    sink = new TestSinks.Collecting();
    server =
        SyslogServer.start(
            SyslogConfig.defaults().withTcp(0).withUdp(0), TestFormat.create(), sink);
    host = Processes.hostName();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private List<String> logger(String... options) {
    List<String> cmd = new ArrayList<>(List.of(LOGGER, "--server", "127.0.0.1"));
    cmd.addAll(List.of(options));
    return cmd;
  }

  private static String lines(String prefix, int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> prefix + " " + i + "\n")
        .collect(Collectors.joining());
  }

  /**
   * Waits for {@code n} events; asserts each is parsed and its text unique; returns them by text.
   */
  private Map<String, AccessEvent> await(int n) {
    Await.until(n + " events", () -> sink.size() >= n, server::stats);
    List<AccessEvent> events = sink.events();
    assertThat(events).hasSize(n);
    assertThat(events).noneMatch(AccessEvent::isUnparsed);
    return SyslogServerTest.byText(events); // fails on a duplicate
  }

  @Test
  void tcpOctetCountingRfc5424WithStructuredData() throws Exception {
    String port = Integer.toString(server.tcpPort().getAsInt());
    Processes.run(
        logger(
            "--port",
            port,
            "--tcp",
            "--octet-count",
            "--rfc5424",
            "-t",
            "twtest",
            "--id=4242",
            "-p",
            "auth.notice",
            "--msgid",
            "LOGIN",
            "--sd-id",
            "zoo@32473",
            "--sd-param",
            "tiger=\"hungry\"",
            "--sd-param",
            "lion=\"asleep\""),
        lines("octet", 50));
    Map<String, AccessEvent> got = await(50);
    assertThat(got.keySet())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 50).mapToObj(i -> "octet " + i).toList());
    AccessEvent e = got.get("octet 17");
    assertThat(e.hostName()).hasValue(host);
    assertThat(e.serviceName()).hasValue("twtest");
    assertThat(e.labels())
        .containsEntry("syslog.procid", "4242")
        .containsEntry("syslog.msgid", "LOGIN")
        .containsEntry("syslog.facility", "4")
        .containsEntry("syslog.severity", "5")
        .containsEntry("syslog.sd.zoo@32473.tiger", "hungry")
        .containsEntry("syslog.sd.zoo@32473.lion", "asleep")
        .containsEntry("syslog.sd.timeQuality.tzKnown", "1")
        .containsEntry("syslog.transport", "tcp")
        .containsEntry("syslog.peer", "127.0.0.1");
  }

  @Test
  void tcpNewlineFramingRfc3164() throws Exception {
    String port = Integer.toString(server.tcpPort().getAsInt());
    Processes.run(
        logger("--port", port, "--tcp", "--rfc3164", "-t", "twapp", "--id=777"), lines("bsd", 50));
    Map<String, AccessEvent> got = await(50);
    AccessEvent e = got.get("bsd 49");
    assertThat(e.hostName()).hasValue(host);
    assertThat(e.serviceName()).hasValue("twapp");
    assertThat(e.labels())
        .containsEntry("syslog.procid", "777")
        .containsEntry("syslog.transport", "tcp");
    assertThat(server.stats().framingErrors()).isZero();
  }

  @Test
  void messagesGivenAsArgumentsAreOneMessage() throws Exception {
    String port = Integer.toString(server.tcpPort().getAsInt());
    Processes.run(
        logger("--port", port, "--tcp", "--octet-count", "--rfc5424", "-t", "twtest", "one", "two"),
        "");
    assertThat(await(1)).containsOnlyKeys("one two");
  }

  @Test
  void udpRfc5424AndRfc3164() throws Exception {
    String port = Integer.toString(server.udpPort().getAsInt());
    Processes.run(
        logger(
            "--port",
            port,
            "--udp",
            "--rfc5424",
            "-t",
            "twtest",
            "--sd-id",
            "ex@32473",
            "--sd-param",
            "k=\"v\""),
        lines("dgram5424", 20));
    Processes.run(
        logger("--port", port, "--udp", "--rfc3164", "-t", "twapp", "-i"), lines("dgram3164", 20));
    Map<String, AccessEvent> got = await(40);
    assertThat(got.get("dgram5424 3").labels())
        .containsEntry("syslog.sd.ex@32473.k", "v")
        .containsEntry("syslog.transport", "udp");
    AccessEvent bsd = got.get("dgram3164 19");
    assertThat(bsd.hostName()).hasValue(host);
    assertThat(bsd.serviceName()).hasValue("twapp");
    assertThat(bsd.labels().get("syslog.procid")).matches("[0-9]+"); // logger's own pid (-i)
    assertThat(server.stats().udpDropped()).isZero();
  }
}
