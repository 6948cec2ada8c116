package dev.trailwatch.ingest.syslog;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.syslog.FrameReader.Broken;
import dev.trailwatch.ingest.syslog.FrameReader.End;
import dev.trailwatch.ingest.syslog.FrameReader.Frame;
import dev.trailwatch.ingest.syslog.FrameReader.Message;
import dev.trailwatch.ingest.syslog.FrameReader.Partial;
import dev.trailwatch.ingest.syslog.FrameReader.Truncated;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * One TCP or TLS connection, read by its own virtual thread: frames into events into batches into
 * the sink. A batch goes to the sink when it holds {@code batchSize} messages or its first message
 * has waited {@code linger}; while the sink blocks, this thread does not read, so the socket's
 * receive buffer fills and TCP flow control slows the sender.
 *
 * <p>{@link #stop()} closes the socket: the thread reads no more, turns what it had already read
 * into events (an incomplete frame as unparsed), hands them to the sink and ends.
 */
final class Connection implements Runnable {
  private static final System.Logger LOG = System.getLogger(SyslogServer.class.getName());

  /** How long a TLS client may take to complete its handshake. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

  private final Socket raw;
  private final Socket socket;
  private final Transport transport;
  private final String peer;
  private final String name;
  private final Context context;
  private final Thread thread;
  private volatile boolean stopping;
  private List<AccessEvent> batch = new ArrayList<>(); // only this connection's thread uses it

  /** What every connection shares. */
  record Context(
      SyslogConfig config,
      Decoder decoder,
      Batches batches,
      SyslogStats stats,
      InstantSource clock,
      Connections connections) {}

  /**
   * @param raw the accepted socket
   * @param socket what to read: {@code raw}, or a TLS socket layered over it
   * @param peer the sender's IP address
   */
  Connection(Socket raw, Socket socket, Transport transport, String peer, Context context) {
    this.raw = raw;
    this.socket = socket;
    this.transport = transport;
    this.peer = peer;
    this.name = transport.label() + " connection from " + peer + ":" + raw.getPort();
    this.context = context;
    this.thread =
        Thread.ofVirtual()
            .name("syslog-" + transport.label() + "-" + peer + ":" + raw.getPort())
            .unstarted(this);
  }

  void start() {
    thread.start();
  }

  /** Closes the socket; the thread hands on what it had read and ends. */
  void stop() {
    stopping = true;
    closeQuietly();
  }

  void join() throws InterruptedException {
    thread.join();
  }

  @Override
  public void run() {
    try {
      if (socket instanceof SSLSocket tls && !handshake(tls)) {
        return;
      }
      read();
    } catch (IOException e) {
      if (!stopping) {
        LOG.log(Level.INFO, "syslog: the " + name + " failed: " + e);
      }
    } finally {
      context.batches().store(batch, name);
      closeQuietly();
      context.connections().closed(this);
    }
  }

  private boolean handshake(SSLSocket tls) throws IOException {
    try {
      tls.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
      tls.startHandshake();
      tls.setSoTimeout(0);
      return true;
    } catch (IOException e) {
      if (!stopping) {
        context.stats().tlsHandshakeFailures.incrementAndGet();
        LOG.log(Level.WARNING, "syslog: closing the " + name + ": TLS handshake failed: " + e);
      }
      return false;
    }
  }

  /** Reads until the end; leaves the last batch, not yet stored, in {@link #batch}. */
  private void read() throws IOException {
    SyslogConfig config = context.config();
    int max = config.maxMessageSize();
    long lingerNanos = config.linger().toNanos();
    FrameReader reader =
        new FrameReader(
            new CountingInputStream(socket.getInputStream(), context.stats().bytesReceived), max);
    long batchStart = 0;
    int timeout = 0;
    boolean inputEnded = false;
    while (true) {
      if (!batch.isEmpty() && System.nanoTime() - batchStart >= lingerNanos) {
        flush();
      }
      Frame frame;
      try {
        if (!inputEnded) {
          int wanted = batch.isEmpty() ? 0 : timeoutMillis(batchStart, lingerNanos);
          if (wanted != timeout) {
            socket.setSoTimeout(wanted);
            timeout = wanted;
          }
        }
        frame = reader.next();
      } catch (SocketTimeoutException e) {
        flush();
        continue;
      } catch (IOException e) {
        inputEnded = true;
        if (stopping) {
          reader.endOfInput("the receiver shut down in the middle of the frame");
        } else {
          LOG.log(Level.INFO, "syslog: the " + name + " failed: " + e);
          reader.endOfInput("the connection failed in the middle of the frame: " + e);
        }
        continue;
      }
      Decoder decoder = context.decoder();
      switch (frame) {
        case Message m -> batch.add(decoder.message(m.text(), transport, peer, now()));
        case Truncated t -> {
          context.stats().truncated.incrementAndGet();
          batch.add(
              decoder.cut(
                  t.text(),
                  "the message is longer than "
                      + max
                      + " bytes (the maximum message size): only its first "
                      + max
                      + " bytes are kept",
                  transport,
                  peer,
                  now()));
        }
        case Partial p -> batch.add(decoder.cut(p.received(), p.problem(), transport, peer, now()));
        case Broken b -> {
          context.stats().framingErrors.incrementAndGet();
          if (!b.received().isEmpty()) {
            context.stats().received(transport).incrementAndGet();
            batch.add(
                decoder.cut(
                    b.received(), "broken framing: " + b.problem(), transport, peer, now()));
          }
          LOG.log(
              Level.WARNING,
              "syslog: closing the "
                  + name
                  + " ("
                  + reader.framing()
                  + " framing): "
                  + b.problem());
          return;
        }
        case End e -> {
          return;
        }
      }
      context.stats().received(transport).incrementAndGet();
      if (batch.size() == 1) {
        batchStart = System.nanoTime();
      }
      if (batch.size() >= config.batchSize()) {
        flush();
      }
    }
  }

  private static int timeoutMillis(long batchStart, long lingerNanos) {
    long left = lingerNanos - (System.nanoTime() - batchStart);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
  }

  private void flush() {
    if (!batch.isEmpty()) {
      context.batches().store(batch, name);
      batch = new ArrayList<>();
    }
  }

  private java.time.Instant now() {
    return context.clock().instant();
  }

  private void closeQuietly() {
    try {
      raw.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
