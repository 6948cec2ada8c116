package dev.trailwatch.ingest.syslog;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.ingest.EventSink;
import dev.trailwatch.ingest.parse.SyslogFormat;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLSocketFactory;

/**
 * The syslog receiver: listens on TCP (RFC 6587), UDP (RFC 5426) and TLS (RFC 5425) as {@link
 * SyslogConfig} says, parses each message with a {@link SyslogFormat} (in production {@code
 * Formats.standard().syslog()}) and hands the events to an {@link EventSink} in batches.
 *
 * <p><b>Framing</b> (TCP and TLS): per connection, octet counting or newline framing, detected from
 * the first byte; see {@link FrameReader}. Broken framing closes that connection only, after its
 * earlier messages (and the broken bytes, as unparsed) are stored. A message that cannot be parsed
 * is stored unparsed, never dropped. Every event has the labels {@code syslog.transport} ({@code
 * tcp}, {@code udp}, {@code tls}) and {@code syslog.peer} (the sender's IP address).
 *
 * <p><b>Threads</b>: one virtual thread per connection (at most {@code maxConnections}), one per
 * accept loop, and for UDP a platform thread receiving and a virtual thread storing. All are named
 * {@code syslog-*} and owned by this server.
 *
 * <p><b>Back-pressure</b>: a connection's thread calls {@link EventSink#store}, which blocks while
 * the store is behind; it then reads nothing, so TCP flow control slows the sender and nothing is
 * dropped. UDP cannot be slowed: between its socket and the sink is a bounded queue, and datagrams
 * that find it full are dropped and counted. Syslog has no acknowledgement, so the receiver does
 * not wait for the sink's futures, except when closing.
 *
 * <p><b>Closing</b> ({@link #close()}): stops accepting, reads no more, hands every message already
 * read to the sink (an incomplete frame as unparsed), and waits until the sink has completed every
 * batch. Thread-safe.
 */
public final class SyslogServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SyslogServer.class.getName());

  private final SyslogStats stats;
  private final Batches batches;
  private final Connections connections;
  private final Optional<TcpListener> tcp;
  private final Optional<TcpListener> tls;
  private final Optional<UdpReceiver> udp;
  // Guarded by this: the steps of close() already done.
  private boolean closed;
  private boolean tcpClosed;
  private boolean tlsClosed;
  private boolean udpClosed;
  private boolean connectionsClosed;

  private SyslogServer(
      SyslogStats stats,
      Batches batches,
      Connections connections,
      Optional<TcpListener> tcp,
      Optional<TcpListener> tls,
      Optional<UdpReceiver> udp) {
    this.stats = stats;
    this.batches = batches;
    this.connections = connections;
    this.tcp = tcp;
    this.tls = tls;
    this.udp = udp;
  }

  /** Binds every configured listener and starts receiving, with the system clock. */
  public static SyslogServer start(SyslogConfig config, SyslogFormat format, EventSink sink)
      throws IOException {
    return start(config, format, sink, InstantSource.system());
  }

  /**
   * Binds every configured listener and starts receiving.
   *
   * @param clock the time each message is received
   * @throws IOException if a port cannot be bound (nothing is left open)
   * @throws IllegalArgumentException if no listener is configured
   */
  public static SyslogServer start(
      SyslogConfig config, SyslogFormat format, EventSink sink, InstantSource clock)
      throws IOException {
    requireNonNull(config, "config");
    requireNonNull(format, "format");
    requireNonNull(sink, "sink");
    requireNonNull(clock, "clock");
    if (!config.hasListener()) {
      throw new IllegalArgumentException("no syslog listener configured (TCP, UDP or TLS port)");
    }
    SyslogStats stats = new SyslogStats();
    Batches batches = new Batches(sink, stats);
    Connections connections = new Connections(config.maxConnections(), stats);
    Connection.Context context =
        new Connection.Context(
            config, new Decoder(format, config.zone(), stats), batches, stats, clock, connections);
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      Optional<TcpListener> tcp = Optional.empty();
      if (config.tcpPort().isPresent()) {
        ServerSocket s = bind(config, config.tcpPort().getAsInt(), opened);
        tcp = Optional.of(new TcpListener(Transport.TCP, s, Optional.empty(), context));
      }
      Optional<TcpListener> tls = Optional.empty();
      if (config.tlsPort().isPresent()) {
        ServerSocket s = bind(config, config.tlsPort().getAsInt(), opened);
        SSLSocketFactory factory = config.sslContext().orElseThrow().getSocketFactory();
        tls = Optional.of(new TcpListener(Transport.TLS, s, Optional.of(factory), context));
      }
      Optional<UdpReceiver> udp = Optional.empty();
      if (config.udpPort().isPresent()) {
        DatagramSocket s = new DatagramSocket(null);
        opened.add(s);
        s.setReceiveBufferSize(Math.max(1, config.udpReceiveBuffer()));
        s.bind(new InetSocketAddress(config.bindAddress(), config.udpPort().getAsInt()));
        int got = s.getReceiveBufferSize();
        if (got < config.udpReceiveBuffer()) {
          LOG.log(
              Level.INFO,
              "syslog: the UDP receive buffer is "
                  + got
                  + " bytes, not the "
                  + config.udpReceiveBuffer()
                  + " asked for (raise the sysctl net.core.rmem_max)");
        }
        UdpReceiver r = new UdpReceiver(s, context);
        stats.kernelDrops(r::kernelDrops);
        udp = Optional.of(r);
      }
      tcp.ifPresent(TcpListener::start);
      tls.ifPresent(TcpListener::start);
      udp.ifPresent(UdpReceiver::start);
      return new SyslogServer(stats, batches, connections, tcp, tls, udp);
    } catch (IOException | RuntimeException e) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static ServerSocket bind(SyslogConfig config, int port, List<AutoCloseable> opened)
      throws IOException {
    ServerSocket s = new ServerSocket();
    opened.add(s);
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(config.bindAddress(), port), 256);
    return s;
  }

  /** The bound TCP port, when there is a TCP listener. */
  public OptionalInt tcpPort() {
    return tcp.map(l -> OptionalInt.of(l.port())).orElse(OptionalInt.empty());
  }

  /** The bound UDP port, when there is a UDP listener. */
  public OptionalInt udpPort() {
    return udp.map(u -> OptionalInt.of(u.port())).orElse(OptionalInt.empty());
  }

  /** The bound TLS port, when there is a TLS listener. */
  public OptionalInt tlsPort() {
    return tls.map(l -> OptionalInt.of(l.port())).orElse(OptionalInt.empty());
  }

  /** The counters, live. */
  public SyslogStats stats() {
    return stats;
  }

  /**
   * Closes gracefully: stops accepting connections and datagrams, stops reading, hands every
   * message already read to the sink, and waits until the sink has completed (stored or failed)
   * every batch. Blocks as long as the sink does. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          stopAll();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // finish closing: what was read must still reach the sink
        }
      }
      batches.awaitPending();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Each step once, so that an interrupt in the middle can resume where it stopped. */
  private void stopAll() throws InterruptedException {
    if (!tcpClosed && tcp.isPresent()) {
      tcp.get().close();
    }
    tcpClosed = true;
    if (!tlsClosed && tls.isPresent()) {
      tls.get().close();
    }
    tlsClosed = true;
    if (!connectionsClosed) {
      connections.stopAll();
    }
    connectionsClosed = true;
    if (!udpClosed && udp.isPresent()) {
      udp.get().close();
    }
    udpClosed = true;
  }
}
