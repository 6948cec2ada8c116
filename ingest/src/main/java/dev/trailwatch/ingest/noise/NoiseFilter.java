package dev.trailwatch.ingest.noise;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.EventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The drop and sample rules of the configuration, applied in order: the first rule that removes an
 * event removes it. Unparsed events are never removed (they are what nobody has looked at yet).
 */
public final class NoiseFilter {
  private final List<NoiseRule> rules;

  public NoiseFilter(List<NoiseRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static NoiseFilter none() {
    return new NoiseFilter(List.of());
  }

  public List<NoiseRule> rules() {
    return rules;
  }

  /** Whether to store the event. */
  public boolean keep(AccessEvent e) {
    if (e.isUnparsed()) {
      return true;
    }
    for (NoiseRule r : rules) {
      if (!r.keep(e)) {
        return false;
      }
    }
    return true;
  }

  /** The events to store, in order. */
  public List<AccessEvent> apply(List<AccessEvent> events) {
    if (rules.isEmpty()) {
      return events;
    }
    List<AccessEvent> out = new ArrayList<>(events.size());
    for (AccessEvent e : events) {
      if (keep(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /** A sink that applies these rules before another. */
  public EventSink in(EventSink next) {
    if (rules.isEmpty()) {
      return next;
    }
    return new EventSink() {
      @Override
      public CompletableFuture<Stored> store(List<AccessEvent> events) throws InterruptedException {
        List<AccessEvent> kept = apply(events);
        if (kept.isEmpty()) {
          return CompletableFuture.completedFuture(new Stored(-1, 0));
        }
        return next.store(kept);
      }
    };
  }
}
