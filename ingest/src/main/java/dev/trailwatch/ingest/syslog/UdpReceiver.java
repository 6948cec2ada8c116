package dev.trailwatch.ingest.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.IpAddress;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The UDP listener: one datagram is one message. A platform thread receives datagrams into a
 * bounded queue; a virtual thread takes them out, parses them and hands them to the sink in
 * batches. UDP cannot be slowed down: when the queue is full, datagrams are dropped and counted
 * ({@link SyslogStats#udpDropped()}), and when this process does not read fast enough the kernel
 * drops them too ({@link SyslogStats#udpKernelDrops()}).
 */
final class UdpReceiver {
  private static final System.Logger LOG = System.getLogger(SyslogServer.class.getName());

  private record Datagram(byte[] data, InetAddress from, Instant receivedAt) {}

  private static final Datagram END =
      new Datagram(new byte[0], InetAddress.getLoopbackAddress(), Instant.EPOCH);

  private final DatagramSocket socket;
  private final Connection.Context context;
  private final BlockingQueue<Datagram> queue;
  private final Thread receiver;
  private final Thread storer;
  private volatile boolean closing;

  UdpReceiver(DatagramSocket socket, Connection.Context context) {
    this.socket = socket;
    this.context = context;
    this.queue = new ArrayBlockingQueue<>(context.config().udpQueueCapacity());
    this.receiver =
        Thread.ofPlatform().name("syslog-udp-receive").daemon().unstarted(this::receive);
    this.storer = Thread.ofVirtual().name("syslog-udp-store").unstarted(this::store);
  }

  int port() {
    return socket.getLocalPort();
  }

  void start() {
    receiver.start();
    storer.start();
  }

  /** Closes the socket, then hands every queued datagram to the sink; waits for both threads. */
  void close() throws InterruptedException {
    closing = true;
    socket.close();
    receiver.join();
    storer.join();
  }

  private void receive() {
    SyslogStats stats = context.stats();
    byte[] buf = new byte[context.config().maxMessageSize() + 1]; // one more: to see what is cut
    DatagramPacket packet = new DatagramPacket(buf, buf.length);
    try {
      while (true) {
        packet.setLength(buf.length);
        try {
          socket.receive(packet);
        } catch (IOException e) {
          if (closing || socket.isClosed()) {
            return;
          }
          LOG.log(Level.WARNING, "syslog: receiving a UDP datagram: " + e);
          continue;
        }
        stats.udpReceived.incrementAndGet();
        stats.bytesReceived.addAndGet(packet.getLength());
        Datagram d =
            new Datagram(
                Arrays.copyOf(buf, packet.getLength()),
                packet.getAddress(),
                context.clock().instant());
        if (!queue.offer(d)) {
          long dropped = stats.udpDropped.incrementAndGet();
          if (Long.bitCount(dropped) == 1) { // the 1st, 2nd, 4th, 8th...
            LOG.log(
                Level.WARNING,
                "syslog: dropped a UDP datagram from "
                    + IpAddress.of(d.from())
                    + ": the queue to the sink is full ("
                    + context.config().udpQueueCapacity()
                    + " datagrams); "
                    + dropped
                    + " dropped so far");
          }
        }
      }
    } finally {
      putEnd();
    }
  }

  private void putEnd() {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(END);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void store() {
    long lingerNanos = context.config().linger().toNanos();
    int batchSize = context.config().batchSize();
    List<AccessEvent> batch = new ArrayList<>();
    long batchStart = 0;
    try {
      while (true) {
        Datagram d;
        if (batch.isEmpty()) {
          d = queue.take();
        } else {
          long left = lingerNanos - (System.nanoTime() - batchStart);
          d = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
        }
        if (d == null) {
          context.batches().store(batch, "UDP");
          batch = new ArrayList<>();
          continue;
        }
        if (d == END) {
          return;
        }
        batch.add(decode(d));
        if (batch.size() == 1) {
          batchStart = System.nanoTime();
        }
        if (batch.size() >= batchSize) {
          context.batches().store(batch, "UDP");
          batch = new ArrayList<>();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      context.batches().store(batch, "UDP");
    }
  }

  private AccessEvent decode(Datagram d) {
    int max = context.config().maxMessageSize();
    String peer = IpAddress.of(d.from()).toString();
    byte[] data = d.data();
    if (data.length > max) {
      context.stats().truncated.incrementAndGet();
      return context
          .decoder()
          .cut(
              new String(data, 0, max, UTF_8),
              "the datagram is longer than "
                  + max
                  + " bytes (the maximum message size): only its first "
                  + max
                  + " bytes are kept",
              Transport.UDP,
              peer,
              d.receivedAt());
    }
    int length = data.length;
    while (length > 0
        && (data[length - 1] == '\n' || data[length - 1] == '\r' || data[length - 1] == 0)) {
      length--; // some senders end a datagram with LF or NUL
    }
    return context
        .decoder()
        .message(new String(data, 0, length, UTF_8), Transport.UDP, peer, d.receivedAt());
  }

  /**
   * The kernel's drop count for this socket's port, from {@code /proc/net/udp} and {@code udp6}.
   */
  OptionalLong kernelDrops() {
    return kernelDrops(
        List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")), socket.getLocalPort());
  }

  static OptionalLong kernelDrops(List<Path> tables, int port) {
    boolean readAny = false;
    long drops = 0;
    for (Path table : tables) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table, UTF_8);
      } catch (IOException e) {
        continue;
      }
      readAny = true;
      drops += drops(lines, port);
    }
    return readAny ? OptionalLong.of(drops) : OptionalLong.empty();
  }

  /**
   * The sum of the {@code drops} column (the last) of the rows of a {@code /proc/net/udp} table
   * whose local address has {@code port} ({@code 0100007F:1F90}: the port in hex after the colon).
   */
  static long drops(List<String> lines, int port) {
    String suffix = ":" + String.format(Locale.ROOT, "%04X", port);
    long drops = 0;
    for (String line : lines) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length < 13 || !cols[0].endsWith(":")) {
        continue; // the header
      }
      if (cols[1].toUpperCase(Locale.ROOT).endsWith(suffix)) {
        try {
          drops += Long.parseLong(cols[cols.length - 1]);
        } catch (NumberFormatException e) {
          // a kernel with another layout: ignore the row
        }
      }
    }
    return drops;
  }
}
