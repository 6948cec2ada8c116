package dev.trailwatch.ingest.syslog;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;

/**
 * What a {@link SyslogServer} listens on and how it batches. Start from {@link #defaults()} (no
 * listener, loopback only) and add listeners with {@link #withTcp}, {@link #withUdp} and {@link
 * #withTls}; port 0 binds an ephemeral port, which {@link SyslogServer#tcpPort()} etc. report.
 *
 * @param bindAddress the address every listener binds (default 127.0.0.1: only local senders)
 * @param tcpPort the plain TCP port (RFC 6587 octet counting or newline framing), if any
 * @param udpPort the UDP port (one datagram is one message), if any
 * @param tlsPort the TLS port (RFC 5425, octet counting or newline framing), if any
 * @param sslContext the server certificate and key for the TLS port; present exactly when {@code
 *     tlsPort} is
 * @param maxMessageSize the largest message accepted, in bytes (default 64 KiB; at least RFC 5425's
 *     2,048): a longer octet-counted frame closes its connection, a longer line or datagram is
 *     stored cut to this size as unparsed
 * @param batchSize how many messages at most go to the sink in one call (default 512)
 * @param linger how long a connection holds a batch that is not full before handing it on (default
 *     5 ms)
 * @param zone the zone of BSD (RFC 3164) timestamps, which carry none (default UTC)
 * @param maxConnections how many TCP and TLS connections may be open at once (default 1,000);
 *     further ones are closed at once
 * @param udpQueueCapacity how many datagrams may wait between the UDP socket and the sink (default
 *     10,000); when full, datagrams are dropped and counted
 * @param udpReceiveBuffer the {@code SO_RCVBUF} asked for the UDP socket (default 4 MiB; the OS may
 *     give less, see {@code net.core.rmem_max})
 */
public record SyslogConfig(
    InetAddress bindAddress,
    OptionalInt tcpPort,
    OptionalInt udpPort,
    OptionalInt tlsPort,
    Optional<SSLContext> sslContext,
    int maxMessageSize,
    int batchSize,
    Duration linger,
    ZoneId zone,
    int maxConnections,
    int udpQueueCapacity,
    int udpReceiveBuffer) {

  /** The smallest maximum message size: what RFC 5425 requires every receiver to accept. */
  public static final int MIN_MESSAGE_SIZE = 2048;

  /** The largest maximum message size. */
  public static final int MAX_MESSAGE_SIZE = 16 << 20;

  public SyslogConfig {
    requireNonNull(bindAddress, "bindAddress");
    requireNonNull(tcpPort, "tcpPort");
    requireNonNull(udpPort, "udpPort");
    requireNonNull(tlsPort, "tlsPort");
    requireNonNull(sslContext, "sslContext");
    requireNonNull(linger, "linger");
    requireNonNull(zone, "zone");
    checkPort("tcpPort", tcpPort);
    checkPort("udpPort", udpPort);
    checkPort("tlsPort", tlsPort);
    if (tlsPort.isPresent() != sslContext.isPresent()) {
      throw new IllegalArgumentException(
          tlsPort.isPresent()
              ? "the TLS port " + tlsPort.getAsInt() + " needs an SSLContext"
              : "an SSLContext is configured but no TLS port");
    }
    if (maxMessageSize < MIN_MESSAGE_SIZE || maxMessageSize > MAX_MESSAGE_SIZE) {
      throw new IllegalArgumentException(
          "maxMessageSize must be "
              + MIN_MESSAGE_SIZE
              + " to "
              + MAX_MESSAGE_SIZE
              + " bytes, not "
              + maxMessageSize);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
    }
    if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("linger must be 0 to 10 s, not " + linger);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxConnections must be at least 1, not " + maxConnections);
    }
    if (udpQueueCapacity < 1) {
      throw new IllegalArgumentException(
          "udpQueueCapacity must be at least 1, not " + udpQueueCapacity);
    }
    if (udpReceiveBuffer < 0) {
      throw new IllegalArgumentException(
          "udpReceiveBuffer must not be negative, not " + udpReceiveBuffer);
    }
  }

  private static void checkPort(String name, OptionalInt port) {
    if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
      throw new IllegalArgumentException(name + " must be 0 to 65535, not " + port.getAsInt());
    }
  }

  /** No listener, bound to 127.0.0.1, and the defaults given in the class comment. */
  public static SyslogConfig defaults() {
    return new SyslogConfig(
        InetAddress.getLoopbackAddress(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        64 * 1024,
        512,
        Duration.ofMillis(5),
        ZoneOffset.UTC,
        1000,
        10_000,
        4 << 20);
  }

  /** This configuration bound to another address ({@code 0.0.0.0} or {@code ::} for all). */
  public SyslogConfig withBindAddress(InetAddress address) {
    return new SyslogConfig(
        address,
        tcpPort,
        udpPort,
        tlsPort,
        sslContext,
        maxMessageSize,
        batchSize,
        linger,
        zone,
        maxConnections,
        udpQueueCapacity,
        udpReceiveBuffer);
  }

  /** This configuration with a plain TCP listener on {@code port} (0: ephemeral). */
  public SyslogConfig withTcp(int port) {
    return new SyslogConfig(
        bindAddress,
        OptionalInt.of(port),
        udpPort,
        tlsPort,
        sslContext,
        maxMessageSize,
        batchSize,
        linger,
        zone,
        maxConnections,
        udpQueueCapacity,
        udpReceiveBuffer);
  }

  /** This configuration with a UDP listener on {@code port} (0: ephemeral). */
  public SyslogConfig withUdp(int port) {
    return new SyslogConfig(
        bindAddress,
        tcpPort,
        OptionalInt.of(port),
        tlsPort,
        sslContext,
        maxMessageSize,
        batchSize,
        linger,
        zone,
        maxConnections,
        udpQueueCapacity,
        udpReceiveBuffer);
  }

  /**
   * This configuration with a TLS listener on {@code port} (0: ephemeral) using {@code context}.
   */
  public SyslogConfig withTls(int port, SSLContext context) {
    return new SyslogConfig(
        bindAddress,
        tcpPort,
        udpPort,
        OptionalInt.of(port),
        Optional.of(context),
        maxMessageSize,
        batchSize,
        linger,
        zone,
        maxConnections,
        udpQueueCapacity,
        udpReceiveBuffer);
  }

  /** This configuration with other limits. */
  public SyslogConfig withLimits(int maxMessageSize, int maxConnections, int udpQueueCapacity) {
    return new SyslogConfig(
        bindAddress,
        tcpPort,
        udpPort,
        tlsPort,
        sslContext,
        maxMessageSize,
        batchSize,
        linger,
        zone,
        maxConnections,
        udpQueueCapacity,
        udpReceiveBuffer);
  }

  /** This configuration with another batch size and linger. */
  public SyslogConfig withBatching(int batchSize, Duration linger) {
    return new SyslogConfig(
        bindAddress,
        tcpPort,
        udpPort,
        tlsPort,
        sslContext,
        maxMessageSize,
        batchSize,
        linger,
        zone,
        maxConnections,
        udpQueueCapacity,
        udpReceiveBuffer);
  }

  /** This configuration with another zone for BSD timestamps. */
  public SyslogConfig withZone(ZoneId zone) {
    return new SyslogConfig(
        bindAddress,
        tcpPort,
        udpPort,
        tlsPort,
        sslContext,
        maxMessageSize,
        batchSize,
        linger,
        zone,
        maxConnections,
        udpQueueCapacity,
        udpReceiveBuffer);
  }

  /** This configuration asking another {@code SO_RCVBUF} for the UDP socket. */
  public SyslogConfig withUdpReceiveBuffer(int bytes) {
    return new SyslogConfig(
        bindAddress,
        tcpPort,
        udpPort,
        tlsPort,
        sslContext,
        maxMessageSize,
        batchSize,
        linger,
        zone,
        maxConnections,
        udpQueueCapacity,
        bytes);
  }

  /** Whether any listener is configured. */
  boolean hasListener() {
    return tcpPort.isPresent() || udpPort.isPresent() || tlsPort.isPresent();
  }
}
