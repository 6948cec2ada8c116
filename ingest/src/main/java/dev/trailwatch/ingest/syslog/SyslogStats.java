package dev.trailwatch.ingest.syslog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The counters of one {@link SyslogServer}, for the application to export as metrics. Every counter
 * only grows, except {@link #connectionsOpen()}. Thread-safe: the receiver's threads update it,
 * anyone may read it.
 */
public final class SyslogStats {
  final AtomicLong tcpReceived = new AtomicLong();
  final AtomicLong udpReceived = new AtomicLong();
  final AtomicLong tlsReceived = new AtomicLong();
  final AtomicLong unparsed = new AtomicLong();
  final AtomicLong truncated = new AtomicLong();
  final AtomicLong udpDropped = new AtomicLong();
  final AtomicLong connectionsOpen = new AtomicLong();
  final AtomicLong connectionsAccepted = new AtomicLong();
  final AtomicLong connectionsRefused = new AtomicLong();
  final AtomicLong framingErrors = new AtomicLong();
  final AtomicLong tlsHandshakeFailures = new AtomicLong();
  final AtomicLong bytesReceived = new AtomicLong();
  final AtomicLong storeFailures = new AtomicLong();
  private volatile Supplier<OptionalLong> kernelDrops = OptionalLong::empty;

  SyslogStats() {}

  void kernelDrops(Supplier<OptionalLong> source) {
    this.kernelDrops = source;
  }

  AtomicLong received(Transport transport) {
    return switch (transport) {
      case TCP -> tcpReceived;
      case UDP -> udpReceived;
      case TLS -> tlsReceived;
    };
  }

  /** Messages framed on plain TCP connections (parsed or not). */
  public long tcpReceived() {
    return tcpReceived.get();
  }

  /**
   * Datagrams read from the UDP socket, including those then dropped because the queue was full.
   */
  public long udpReceived() {
    return udpReceived.get();
  }

  /** Messages framed on TLS connections (parsed or not). */
  public long tlsReceived() {
    return tlsReceived.get();
  }

  /** Messages stored as unparsed events (no parser for the program, not syslog, cut, broken). */
  public long unparsed() {
    return unparsed.get();
  }

  /** Lines and datagrams longer than the maximum message size, stored cut (and unparsed). */
  public long truncated() {
    return truncated.get();
  }

  /** Datagrams dropped because the queue between the UDP socket and the sink was full. */
  public long udpDropped() {
    return udpDropped.get();
  }

  /**
   * Datagrams the kernel dropped because the UDP socket's receive buffer was full: the {@code
   * drops} column of {@code /proc/net/udp} and {@code /proc/net/udp6} for the bound port. Empty
   * where that file does not exist (not Linux) or there is no UDP listener.
   */
  public OptionalLong udpKernelDrops() {
    return kernelDrops.get();
  }

  /** TCP and TLS connections open now. */
  public long connectionsOpen() {
    return connectionsOpen.get();
  }

  /** TCP and TLS connections accepted (within the limit). */
  public long connectionsAccepted() {
    return connectionsAccepted.get();
  }

  /** TCP and TLS connections closed at once because {@code maxConnections} were open. */
  public long connectionsRefused() {
    return connectionsRefused.get();
  }

  /** Connections closed because their framing was broken (bad octet count, not syslog). */
  public long framingErrors() {
    return framingErrors.get();
  }

  /** TLS connections closed because the handshake failed. */
  public long tlsHandshakeFailures() {
    return tlsHandshakeFailures.get();
  }

  /** Bytes read from every socket, framing included. */
  public long bytesReceived() {
    return bytesReceived.get();
  }

  /** Messages the sink failed to store (it threw, or its future failed). */
  public long storeFailures() {
    return storeFailures.get();
  }

  /** Every counter by name, in a fixed order (for logs and tests). */
  public Map<String, Long> asMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("tcp_received", tcpReceived());
    m.put("udp_received", udpReceived());
    m.put("tls_received", tlsReceived());
    m.put("unparsed", unparsed());
    m.put("truncated", truncated());
    m.put("udp_dropped", udpDropped());
    udpKernelDrops().ifPresent(d -> m.put("udp_kernel_drops", d));
    m.put("connections_open", connectionsOpen());
    m.put("connections_accepted", connectionsAccepted());
    m.put("connections_refused", connectionsRefused());
    m.put("framing_errors", framingErrors());
    m.put("tls_handshake_failures", tlsHandshakeFailures());
    m.put("bytes_received", bytesReceived());
    m.put("store_failures", storeFailures());
    return m;
  }

  @Override
  public String toString() {
    return "SyslogStats" + asMap();
  }
}
