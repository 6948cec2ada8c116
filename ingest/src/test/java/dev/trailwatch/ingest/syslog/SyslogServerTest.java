package dev.trailwatch.ingest.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The receiver over real loopback sockets, with Java clients. */
class SyslogServerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private SyslogServer start(SyslogConfig config, EventSink sink) throws IOException {
    SyslogServer s = SyslogServer.start(config, TestFormat.create(), sink);
    toClose.add(s);
    if (sink instanceof TestSinks.Gated g) {
      toClose.add(g::release); // before the server: closing waits for the sink
    }
    return s;
  }

  private SyslogServer startTcp(EventSink sink) throws IOException {
    return start(SyslogConfig.defaults().withTcp(0), sink);
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket(LOOPBACK, port);
    toClose.add(s);
    return s;
  }

  private static void write(Socket s, String text) throws IOException {
    write(s, text.getBytes(UTF_8));
  }

  private static void write(Socket s, byte[] bytes) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  static String octet(String m) {
    return m.getBytes(UTF_8).length + " " + m;
  }

  static String label(AccessEvent e, String key) {
    return e.labels().get(key);
  }

  /** The parsed events by their text (label test.text); fails on a text seen twice. */
  static Map<String, AccessEvent> byText(List<AccessEvent> events) {
    return events.stream()
        .filter(e -> !e.isUnparsed())
        .collect(Collectors.toMap(e -> label(e, "test.text"), Function.identity()));
  }

  /** Whether the server closed the socket: a read sees the end of the stream (or a reset). */
  private static boolean closedByServer(Socket s) throws IOException {
    s.setSoTimeout((int) Await.CEILING.toMillis());
    InputStream in = s.getInputStream();
    try {
      return in.read() == -1;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  @Test
  void octetCountingAndNewlineFramingOnSeparateConnections() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogServer server = startTcp(sink);
    Socket octets = connect(server.tcpPort().getAsInt());
    Socket lines = connect(server.tcpPort().getAsInt());
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    String[] terminators = {"\n", "\r\n", "\0"};
    for (int i = 0; i < 100; i++) {
      a.append(octet("<134>1 2026-11-22T08:00:00.123Z host-a twtest 42 ID7 - octet " + i));
      b.append("<38>Nov 22 08:00:01 host-b twapp[7]: line ").append(i).append(terminators[i % 3]);
    }
    write(octets, a.toString());
    write(lines, b.toString());
    Await.until("200 messages", () -> sink.size() == 200, server::stats);

    Map<String, AccessEvent> got = byText(sink.events());
    assertThat(got).hasSize(200);
    AccessEvent e = got.get("octet 7");
    assertThat(e.event().dataset()).hasValue(TestFormat.DATASET);
    assertThat(e.hostName()).hasValue("host-a");
    assertThat(e.serviceName()).hasValue("twtest");
    assertThat(e.labels())
        .containsEntry("syslog.procid", "42")
        .containsEntry("syslog.msgid", "ID7")
        .containsEntry("syslog.transport", "tcp")
        .containsEntry("syslog.peer", "127.0.0.1");
    AccessEvent l = got.get("line 8");
    assertThat(l.hostName()).hasValue("host-b");
    assertThat(l.serviceName()).hasValue("twapp");
    assertThat(l.labels())
        .containsEntry("syslog.procid", "7")
        .containsEntry("syslog.severity", "6");
    assertThat(server.stats().tcpReceived()).isEqualTo(200);
    assertThat(server.stats().unparsed()).isZero();
    assertThat(server.stats().framingErrors()).isZero();
    assertThat(server.stats().bytesReceived())
        .isEqualTo(a.toString().getBytes(UTF_8).length + b.toString().getBytes(UTF_8).length);
  }

  @Test
  void aBrokenOctetCountClosesOnlyThatConnection() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogServer server = startTcp(sink);
    Socket good = connect(server.tcpPort().getAsInt());
    Socket bad = connect(server.tcpPort().getAsInt());
    write(good, octet("<13>Nov 22 08:00:01 host-a twtest: good 1"));
    write(bad, octet("<13>Nov 22 08:00:01 host-a twtest: bad 1") + "12x4 <13>junk");
    assertThat(closedByServer(bad)).isTrue();
    write(good, octet("<13>Nov 22 08:00:01 host-a twtest: good 2"));
    Await.until("4 events", () -> sink.size() == 4, server::stats);

    assertThat(byText(sink.events())).containsOnlyKeys("good 1", "good 2", "bad 1");
    AccessEvent broken = sink.events().stream().filter(AccessEvent::isUnparsed).findFirst().get();
    assertThat(broken.message()).hasValue("12x4 <13>junk");
    assertThat(label(broken, "parse_error")).startsWith("broken framing: the octet count '12x'");
    assertThat(label(broken, "syslog.peer")).isEqualTo("127.0.0.1");
    assertThat(server.stats().framingErrors()).isEqualTo(1);
    // The broken connection's slot is released when its thread ends, just after its last batch.
    Await.until(
        "the broken connection released",
        () -> server.stats().connectionsOpen() == 1,
        server::stats);
  }

  @Test
  void aConnectionThatIsNotSyslogIsClosedAndWhatItSentKept() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogServer server = startTcp(sink);
    Socket http = connect(server.tcpPort().getAsInt());
    write(http, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(closedByServer(http)).isTrue();
    Await.until("1 event", () -> sink.size() == 1, server::stats);
    AccessEvent e = sink.events().get(0);
    assertThat(e.isUnparsed()).isTrue();
    assertThat(e.message().orElseThrow()).startsWith("GET / HTTP/1.1");
    assertThat(label(e, "parse_error")).contains("expected an octet count or '<'");
    assertThat(server.stats().framingErrors()).isEqualTo(1);
  }

  @Test
  void aFrameCutByTheSenderIsStoredUnparsed() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogServer server = startTcp(sink);
    Socket s = connect(server.tcpPort().getAsInt());
    write(
        s, octet("<13>Nov 22 08:00:01 host-a twtest: whole") + "60 <13>Nov 22 08:00:01 host-a tw");
    s.close();
    Await.until("2 events", () -> sink.size() == 2, server::stats);
    AccessEvent cut = sink.events().get(1);
    assertThat(cut.isUnparsed()).isTrue();
    assertThat(cut.message()).hasValue("60 <13>Nov 22 08:00:01 host-a tw");
    assertThat(label(cut, "parse_error"))
        .contains("closed the connection in the middle of a frame");
    assertThat(byText(sink.events())).containsOnlyKeys("whole");
  }

  @Test
  void anOverLongLineIsStoredCutAndTheNextLineIsRead() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogConfig config =
        SyslogConfig.defaults().withTcp(0).withLimits(SyslogConfig.MIN_MESSAGE_SIZE, 1000, 100);
    SyslogServer server = start(config, sink);
    Socket s = connect(server.tcpPort().getAsInt());
    String longLine = "<13>Nov 22 08:00:01 host-a twtest[9]: " + "x".repeat(10_000);
    write(s, longLine + "\n<13>Nov 22 08:00:02 host-a twtest: after\n");
    Await.until("2 events", () -> sink.size() == 2, server::stats);
    AccessEvent cut = sink.events().get(0);
    assertThat(cut.isUnparsed()).isTrue();
    assertThat(cut.message()).hasValue(longLine.substring(0, SyslogConfig.MIN_MESSAGE_SIZE));
    assertThat(label(cut, "parse_error")).contains("longer than 2048 bytes");
    assertThat(cut.hostName()).hasValue("host-a"); // the header is kept
    assertThat(label(cut, "syslog.procid")).isEqualTo("9");
    assertThat(byText(sink.events())).containsOnlyKeys("after");
    assertThat(server.stats().truncated()).isEqualTo(1);
  }

  @Test
  void invalidUtf8IsDecodedWithReplacement() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogServer server = startTcp(sink);
    Socket s = connect(server.tcpPort().getAsInt());
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("<13>Nov 22 08:00:01 host-a twtest: caf".getBytes(UTF_8));
    b.writeBytes(new byte[] {(byte) 0xe9, ' ', (byte) 0xc3, (byte) 0x28, '\n'});
    write(s, b.toByteArray());
    Await.until("1 event", () -> sink.size() == 1, server::stats);
    assertThat(byText(sink.events())).containsOnlyKeys("caf\uFFFD \uFFFD(");
  }

  @Test
  void anUnknownProgramIsUnparsedWithThePeer() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogServer server = startTcp(sink);
    Socket s = connect(server.tcpPort().getAsInt());
    write(s, "<13>Nov 22 08:00:01 host-c otherprog[5]: hello\nnot syslog at all\n");
    Await.until("2 events", () -> sink.size() == 2, server::stats);
    AccessEvent unknown = sink.events().get(0);
    assertThat(unknown.isUnparsed()).isTrue();
    assertThat(unknown.hostName()).hasValue("host-c");
    assertThat(unknown.labels())
        .containsEntry("syslog.peer", "127.0.0.1")
        .containsEntry("syslog.transport", "tcp")
        .containsEntry("syslog.procid", "5");
    AccessEvent junk = sink.events().get(1);
    assertThat(junk.message()).hasValue("not syslog at all");
    assertThat(label(junk, "parse_error")).startsWith("not a syslog message");
    assertThat(label(junk, "syslog.peer")).isEqualTo("127.0.0.1");
    assertThat(server.stats().unparsed()).isEqualTo(2);
  }

  @Test
  void connectionsOverTheLimitAreRefused() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogServer server =
        start(SyslogConfig.defaults().withTcp(0).withLimits(64 * 1024, 2, 100), sink);
    Socket one = connect(server.tcpPort().getAsInt());
    Socket two = connect(server.tcpPort().getAsInt());
    write(one, "<13>Nov 22 08:00:01 host-a twtest: one\n");
    write(two, "<13>Nov 22 08:00:01 host-a twtest: two\n");
    Await.until("2 events", () -> sink.size() == 2, server::stats);
    Socket three = connect(server.tcpPort().getAsInt());
    assertThat(closedByServer(three)).isTrue();
    assertThat(server.stats().connectionsRefused()).isEqualTo(1);
    assertThat(server.stats().connectionsOpen()).isEqualTo(2);
    one.close();
    Await.until("a free slot", () -> server.stats().connectionsOpen() == 1, server::stats);
    Socket four = connect(server.tcpPort().getAsInt());
    write(four, "<13>Nov 22 08:00:01 host-a twtest: four\n");
    Await.until("3 events", () -> sink.size() == 3, server::stats);
    assertThat(byText(sink.events())).containsOnlyKeys("one", "two", "four");
  }

  @Test
  void batchesHoldManyMessagesAndNoMoreThanTheBatchSize() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogServer server =
        start(SyslogConfig.defaults().withTcp(0).withBatching(100, Duration.ofMillis(50)), sink);
    Socket s = connect(server.tcpPort().getAsInt());
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      b.append(octet("<13>Nov 22 08:00:01 host-a twtest: m" + i));
    }
    write(s, b.toString());
    Await.until("1000 events", () -> sink.size() == 1000, server::stats);
    assertThat(sink.batchSizes()).allMatch(n -> n <= 100);
    assertThat(sink.batchSizes().stream().mapToInt(Integer::intValue).max().getAsInt())
        .isGreaterThan(1);
    // A lone message still arrives: the linger hands on a batch that is not full.
    write(s, octet("<13>Nov 22 08:00:01 host-a twtest: lone"));
    Await.until("the lone message", () -> sink.size() == 1001, server::stats);
  }

  @Test
  void aBlockedSinkStopsAFastTcpSenderAndLosesNothing() throws Exception {
    TestSinks.Gated sink = new TestSinks.Gated();
    SyslogServer server =
        start(SyslogConfig.defaults().withTcp(0).withBatching(64, Duration.ofMillis(1)), sink);
    Socket s = connect(server.tcpPort().getAsInt());
    s.setSendBufferSize(64 * 1024);
    int total = 60_000; // ~60 MB: more than the socket buffers on both sides can hold
    String padding = "p".repeat(1000);
    AtomicLong written = new AtomicLong();
    AtomicBoolean done = new AtomicBoolean();
    Thread writer =
        Thread.ofPlatform()
            .name("fast-sender")
            .start(
                () -> {
                  try {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < total; i++) {
                      out.write(
                          octet("<13>Nov 22 08:00:01 host-a twtest: m" + i + " " + padding)
                              .getBytes(UTF_8));
                      written.incrementAndGet();
                    }
                    out.flush();
                    done.set(true);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    Await.until("the sink to block", () -> sink.waiting() == 1, server::stats);
    long stalledAt = Await.stable("the sender's progress", written::get, Duration.ofMillis(500));
    assertThat(done).isFalse();
    assertThat(stalledAt).isLessThan(total);
    assertThat(sink.size()).isZero(); // nothing stored, nothing dropped: the sender waits

    sink.release();
    writer.join(Await.CEILING.toMillis());
    assertThat(done).isTrue();
    Await.until(total + " events", () -> sink.size() == total, server::stats);
    List<String> texts =
        sink.events().stream().map(e -> label(e, "test.text").split(" ")[0]).toList();
    assertThat(texts)
        .containsExactlyElementsOf(IntStream.range(0, total).mapToObj(i -> "m" + i).toList());
  }

  @Test
  void closingHandsOnEverythingReadAndWaitsForDurability() throws Exception {
    TestSinks.SlowDurability sink = new TestSinks.SlowDurability();
    // A long linger and a big batch: what was read sits in the connection's batch until closing.
    SyslogConfig config =
        SyslogConfig.defaults().withTcp(0).withUdp(0).withBatching(100_000, Duration.ofSeconds(10));
    SyslogServer server = SyslogServer.start(config, TestFormat.create(), sink);
    Socket octets = connect(server.tcpPort().getAsInt());
    Socket lines = connect(server.tcpPort().getAsInt());
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      b.append(octet("<13>Nov 22 08:00:01 host-a twtest: o" + i));
    }
    write(octets, b + "80 <13>Nov 22 08:00:01 host-a twtest: cut");
    write(lines, "<13>Nov 22 08:00:01 host-a twtest: l1\n<13>Nov 22 08:00:01 host-a twtest: l2");
    try (DatagramSocket udp = new DatagramSocket()) {
      byte[] d = "<13>Nov 22 08:00:01 host-a twtest: u1".getBytes(UTF_8);
      udp.send(new DatagramPacket(d, d.length, LOOPBACK, server.udpPort().getAsInt()));
    }
    Await.until(
        "everything read",
        () -> server.stats().tcpReceived() == 501 && server.stats().udpReceived() == 1,
        server::stats);
    assertThat(sink.size()).isZero(); // still in the batches

    Thread closer = Thread.ofPlatform().name("closer").start(server::close);
    Await.until("every batch at the sink", () -> sink.size() == 504, server::stats);
    assertThat(closer.isAlive()).as("close() waits until the batches are durable").isTrue();
    sink.complete();
    closer.join(Await.CEILING.toMillis());
    assertThat(closer.isAlive()).isFalse();

    assertThat(byText(sink.events()).keySet())
        .hasSize(502)
        .contains("o0", "o499", "l1", "u1")
        .doesNotContain("l2");
    List<AccessEvent> cut = sink.events().stream().filter(AccessEvent::isUnparsed).toList();
    assertThat(cut)
        .extracting(e -> e.message().orElseThrow())
        .containsExactlyInAnyOrder(
            "80 <13>Nov 22 08:00:01 host-a twtest: cut", "<13>Nov 22 08:00:01 host-a twtest: l2");
    assertThat(cut)
        .allSatisfy(e -> assertThat(label(e, "parse_error")).contains("receiver shut down"));
    assertThat(closedByServer(octets)).isTrue();
  }

  @Test
  void udpDatagramsInBothFormats() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogServer server = start(SyslogConfig.defaults().withUdp(0), sink);
    try (DatagramSocket udp = new DatagramSocket()) {
      for (String m :
          List.of(
              "<13>1 2026-11-22T08:00:00Z host-a twtest 1 - [ex@32473 k=\"v\"] five424",
              "<13>Nov 22 08:00:01 host-b twapp[2]: three164\n")) {
        byte[] d = m.getBytes(UTF_8);
        udp.send(new DatagramPacket(d, d.length, LOOPBACK, server.udpPort().getAsInt()));
      }
    }
    Await.until("2 events", () -> sink.size() == 2, server::stats);
    Map<String, AccessEvent> got = byText(sink.events());
    assertThat(got).containsOnlyKeys("five424", "three164");
    assertThat(got.get("five424").labels())
        .containsEntry("syslog.sd.ex@32473.k", "v")
        .containsEntry("syslog.transport", "udp")
        .containsEntry("syslog.peer", "127.0.0.1");
    assertThat(got.get("three164").hostName()).hasValue("host-b");
    assertThat(server.stats().udpReceived()).isEqualTo(2);
    assertThat(server.stats().udpKernelDrops()).hasValue(0);
  }

  @Test
  void anOverLongDatagramIsStoredCut() throws IOException {
    TestSinks.Collecting sink = new TestSinks.Collecting();
    SyslogServer server =
        start(
            SyslogConfig.defaults().withUdp(0).withLimits(SyslogConfig.MIN_MESSAGE_SIZE, 10, 100),
            sink);
    String m = "<13>Nov 22 08:00:01 host-a twtest: " + "y".repeat(5000);
    try (DatagramSocket udp = new DatagramSocket()) {
      byte[] d = m.getBytes(UTF_8);
      udp.send(new DatagramPacket(d, d.length, LOOPBACK, server.udpPort().getAsInt()));
    }
    Await.until("1 event", () -> sink.size() == 1, server::stats);
    AccessEvent e = sink.events().get(0);
    assertThat(e.isUnparsed()).isTrue();
    assertThat(e.message()).hasValue(m.substring(0, SyslogConfig.MIN_MESSAGE_SIZE));
    assertThat(label(e, "parse_error")).contains("longer than 2048 bytes");
    assertThat(server.stats().truncated()).isEqualTo(1);
  }

  @Test
  void udpDropsAreCountedWhenTheQueueIsFull() throws Exception {
    TestSinks.Gated sink = new TestSinks.Gated();
    int queue = 10;
    SyslogServer server =
        start(
            SyslogConfig.defaults()
                .withUdp(0)
                .withLimits(64 * 1024, 10, queue)
                .withBatching(1, Duration.ZERO),
            sink);
    int sent = 100;
    try (DatagramSocket udp = new DatagramSocket()) {
      for (int i = 0; i < sent; i++) {
        byte[] d = ("<13>Nov 22 08:00:01 host-a twtest: d" + i).getBytes(UTF_8);
        udp.send(new DatagramPacket(d, d.length, LOOPBACK, server.udpPort().getAsInt()));
      }
    }
    Await.until(
        "every datagram received or dropped by the kernel",
        () -> server.stats().udpReceived() + server.stats().udpKernelDrops().orElse(0) == sent,
        server::stats);
    assertThat(server.stats().udpDropped()).isPositive();
    sink.release();
    long received = server.stats().udpReceived();
    Await.until(
        "the queue drained",
        () -> sink.size() + server.stats().udpDropped() == received,
        server::stats);
    assertThat(sink.size()).isLessThanOrEqualTo(queue + 2); // the queue, plus what was taken
    assertThat(byText(sink.events())).hasSize(sink.size()); // each at most once
  }

  @Test
  void kernelDropsAreReadFromProcNetUdp() {
    List<String> table =
        List.of(
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid"
                + "  timeout inode ref pointer drops",
            "  123: 0100007F:1F90 00000000:0000 07 00000000:00000000 00:00000000 00000000     0"
                + "        0 41 2 0000000000000000 17",
            "  124: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0"
                + "        0 42 2 0000000000000000 5");
    assertThat(UdpReceiver.drops(table, 8080)).isEqualTo(17);
    assertThat(UdpReceiver.drops(table, 53)).isEqualTo(5);
    assertThat(UdpReceiver.drops(table, 514)).isZero();
  }

  @Test
  void configurationConflictsAreNamed() throws Exception {
    assertThatThrownBy(
            () ->
                SyslogServer.start(
                    SyslogConfig.defaults(), TestFormat.create(), new TestSinks.Collecting()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no syslog listener");
    SyslogConfig d = SyslogConfig.defaults();
    assertThatThrownBy(
            () ->
                new SyslogConfig(
                    d.bindAddress(),
                    d.tcpPort(),
                    d.udpPort(),
                    java.util.OptionalInt.of(6514),
                    java.util.Optional.empty(),
                    d.maxMessageSize(),
                    d.batchSize(),
                    d.linger(),
                    d.zone(),
                    d.maxConnections(),
                    d.udpQueueCapacity(),
                    d.udpReceiveBuffer()))
        .hasMessage("the TLS port 6514 needs an SSLContext");
    assertThatThrownBy(() -> d.withTcp(70000)).hasMessageContaining("tcpPort must be 0 to 65535");
    assertThatThrownBy(() -> d.withLimits(100, 10, 10)).hasMessageContaining("maxMessageSize");
    assertThat(d.withTls(0, SSLContext.getDefault()).tlsPort()).hasValue(0);
  }
}
