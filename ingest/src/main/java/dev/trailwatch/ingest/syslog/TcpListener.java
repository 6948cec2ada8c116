package dev.trailwatch.ingest.syslog;

import dev.trailwatch.event.IpAddress;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Accepts TCP connections, or TLS ones (a server-mode {@link SSLSocket} layered over each accepted
 * socket, so that closing the plain socket always unblocks a reader), and starts a {@link
 * Connection} for each within the connection limit. Its accept loop runs on a virtual thread.
 */
final class TcpListener {
  private static final System.Logger LOG = System.getLogger(SyslogServer.class.getName());

  private final Transport transport;
  private final ServerSocket server;
  private final Optional<SSLSocketFactory> tls;
  private final Connection.Context context;
  private final Thread thread;
  private volatile boolean closing;

  TcpListener(
      Transport transport,
      ServerSocket server,
      Optional<SSLSocketFactory> tls,
      Connection.Context context) {
    this.transport = transport;
    this.server = server;
    this.tls = tls;
    this.context = context;
    this.thread =
        Thread.ofVirtual().name("syslog-" + transport.label() + "-accept").unstarted(this::run);
  }

  int port() {
    return server.getLocalPort();
  }

  void start() {
    thread.start();
  }

  /** Stops accepting and waits for the accept loop to end; open connections stay open. */
  void close() throws InterruptedException {
    closing = true;
    try {
      server.close();
    } catch (IOException e) {
      // closed anyway
    }
    thread.join();
  }

  private void run() {
    while (true) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (closing || server.isClosed()) {
          return;
        }
        LOG.log(Level.WARNING, "syslog: accepting a " + transport.label() + " connection: " + e);
        continue;
      }
      admit(s);
    }
  }

  private void admit(Socket s) {
    String peer = IpAddress.of(s.getInetAddress()).toString();
    Connection c;
    try {
      s.setKeepAlive(true);
      Socket reading = s;
      if (tls.isPresent()) {
        SSLSocket t = (SSLSocket) tls.get().createSocket(s, null, true);
        t.setUseClientMode(false);
        reading = t;
      }
      c = new Connection(s, reading, transport, peer, context);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "syslog: setting up a connection from " + peer + ": " + e);
      closeQuietly(s);
      return;
    }
    switch (context.connections().tryStart(c)) {
      case STARTED -> {}
      case CLOSING -> closeQuietly(s);
      case FULL -> {
        // Counted before closing, so that whoever sees the close also sees the count.
        long refused = context.stats().connectionsRefused.incrementAndGet();
        closeQuietly(s);
        if (Long.bitCount(refused) == 1) { // the 1st, 2nd, 4th, 8th... so that a flood stays quiet
          LOG.log(
              Level.WARNING,
              "syslog: refused a "
                  + transport.label()
                  + " connection from "
                  + peer
                  + ": "
                  + context.config().maxConnections()
                  + " connections are open (the limit); "
                  + refused
                  + " refused so far");
        }
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
