package dev.trailwatch.ingest.syslog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The open TCP and TLS connections, at most {@code maxConnections}. Thread-safe. */
final class Connections {
  private final int max;
  private final SyslogStats stats;
  private final Set<Connection> open = new HashSet<>();
  private boolean closing;

  Connections(int max, SyslogStats stats) {
    this.max = max;
    this.stats = stats;
  }

  /** What {@link #tryStart} did. */
  enum Admission {
    STARTED,
    FULL,
    CLOSING
  }

  /** Starts {@code c}'s thread if there is room and the server is not closing. */
  synchronized Admission tryStart(Connection c) {
    if (closing) {
      return Admission.CLOSING;
    }
    if (open.size() >= max) {
      return Admission.FULL;
    }
    open.add(c);
    stats.connectionsOpen.incrementAndGet();
    stats.connectionsAccepted.incrementAndGet();
    c.start();
    return Admission.STARTED;
  }

  synchronized void closed(Connection c) {
    if (open.remove(c)) {
      stats.connectionsOpen.decrementAndGet();
    }
  }

  /**
   * Refuses new connections, stops every open one and waits until each has handed what it read to
   * the sink.
   */
  void stopAll() throws InterruptedException {
    List<Connection> all;
    synchronized (this) {
      closing = true;
      all = new ArrayList<>(open);
    }
    for (Connection c : all) {
      c.stop();
    }
    for (Connection c : all) {
      c.join();
    }
  }
}
