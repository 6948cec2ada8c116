package dev.trailwatch.ingest.noise;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Field;
import dev.trailwatch.event.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One drop or sample rule: which events it matches ({@code when}: every listed field must match one
 * of its values) and what to do with them.
 *
 * <p>Values match a field's text exactly, or by prefix when they end in {@code *}, or, for the IP
 * fields, by CIDR range ({@code 10.0.0.0/8}); {@code "*"} alone means "present". {@code labels.x}
 * names a label. (The query language of the search module, once it exists, will be accepted here
 * too.)
 *
 * <p>Events of the categories {@code authentication} and {@code iam} are never dropped or sampled
 * away unless the rule says {@code force: true}: losing them by accident would lose the evidence an
 * audit asks for first. Such matches are counted as protected.
 */
public final class NoiseRule {
  /** What a rule does to what it matches. */
  public enum Action {
    DROP,
    SAMPLE
  }

  private final String name;
  private final Action action;
  private final long keepOneIn;
  private final boolean force;
  private final List<Condition> conditions;
  private final AtomicLong matched = new AtomicLong();
  private final AtomicLong removed = new AtomicLong();
  private final AtomicLong protectedEvents = new AtomicLong();

  private record Condition(String field, List<Matcher> anyOf) {
    boolean test(AccessEvent e) {
      Optional<Object> v = e.get(field);
      if (v.isEmpty()) {
        return false;
      }
      for (Matcher m : anyOf) {
        if (m.test(v.get())) {
          return true;
        }
      }
      return false;
    }
  }

  private sealed interface Matcher {
    boolean test(Object value);
  }

  private record Exact(String text) implements Matcher {
    @Override
    public boolean test(Object value) {
      if (value instanceof List<?> list) {
        return list.stream().anyMatch(x -> text.equals(String.valueOf(x)));
      }
      return text.equals(NoiseRule.text(value));
    }
  }

  private record Prefix(String prefix) implements Matcher {
    @Override
    public boolean test(Object value) {
      if (value instanceof List<?> list) {
        return list.stream().anyMatch(x -> String.valueOf(x).startsWith(prefix));
      }
      return NoiseRule.text(value).startsWith(prefix);
    }
  }

  private record Present() implements Matcher {
    @Override
    public boolean test(Object value) {
      return true;
    }
  }

  private record Cidr(byte[] network, int bits) implements Matcher {
    @Override
    public boolean test(Object value) {
      if (!(value instanceof IpAddress ip)) {
        return false;
      }
      byte[] a = ip.bytes();
      if (a.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }
  }

  private static String text(Object value) {
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    return String.valueOf(value);
  }

  /**
   * @param name the rule's name, for metrics and messages
   * @param action drop, or sample (keep one in {@code keepOneIn})
   * @param sampleRate for sample: the share kept, 0 &lt; rate &le; 1 (0.01 keeps one in 100)
   * @param when field to accepted values; every field must match
   * @param force also drop authentication and iam events
   * @throws IllegalArgumentException naming what is wrong
   */
  public NoiseRule(
      String name,
      Action action,
      double sampleRate,
      Map<String, List<String>> when,
      boolean force) {
    this.name = requireNonNull(name, "name");
    this.action = requireNonNull(action, "action");
    this.force = force;
    if (when == null || when.isEmpty()) {
      throw new IllegalArgumentException(
          "noise rule " + name + ": 'when' is empty; a rule must say which events it matches");
    }
    if (action == Action.SAMPLE) {
      if (!(sampleRate > 0 && sampleRate <= 1)) {
        throw new IllegalArgumentException(
            "noise rule " + name + ": sample_rate must be > 0 and <= 1 (0.01 keeps 1 in 100)");
      }
      this.keepOneIn = Math.max(1, Math.round(1 / sampleRate));
    } else {
      this.keepOneIn = 0;
    }
    List<Condition> cs = new ArrayList<>();
    for (Map.Entry<String, List<String>> c : when.entrySet()) {
      String field = c.getKey();
      boolean ip = field.equals("source.ip") || field.equals("destination.ip");
      if (Field.byName(field).isEmpty() && !field.startsWith("labels.")) {
        throw new IllegalArgumentException(
            "noise rule " + name + ": '" + field + "' is not a schema field (see docs/EVENTS.md)");
      }
      if (c.getValue() == null || c.getValue().isEmpty()) {
        throw new IllegalArgumentException("noise rule " + name + ": no values for " + field);
      }
      List<Matcher> ms = new ArrayList<>();
      for (String v : c.getValue()) {
        ms.add(matcher(name, field, ip, v));
      }
      cs.add(new Condition(field, List.copyOf(ms)));
    }
    this.conditions = List.copyOf(cs);
  }

  private static Matcher matcher(String rule, String field, boolean ip, String v) {
    if (v.equals("*")) {
      return new Present();
    }
    if (ip && v.contains("/")) {
      int slash = v.indexOf('/');
      Optional<IpAddress> net = IpAddress.tryParse(v.substring(0, slash));
      int bits;
      try {
        bits = Integer.parseInt(v.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (net.isEmpty() || bits < 0 || bits > net.get().bytes().length * 8) {
        throw new IllegalArgumentException(
            "noise rule " + rule + ": " + field + ": '" + v + "' is not a CIDR range");
      }
      return new Cidr(net.get().bytes(), bits);
    }
    if (v.endsWith("*")) {
      return new Prefix(v.substring(0, v.length() - 1));
    }
    return new Exact(v);
  }

  public String name() {
    return name;
  }

  /** Whether the event is to be kept; counts what it decides. */
  boolean keep(AccessEvent e) {
    for (Condition c : conditions) {
      if (!c.test(e)) {
        return true;
      }
    }
    long n = matched.incrementAndGet();
    if (!force && isProtected(e)) {
      protectedEvents.incrementAndGet();
      return true;
    }
    boolean keep = action == Action.SAMPLE && (n - 1) % keepOneIn == 0;
    if (!keep) {
      removed.incrementAndGet();
    }
    return keep;
  }

  static boolean isProtected(AccessEvent e) {
    Optional<String> category = e.event().category();
    return category.isPresent()
        && (category.get().equals("authentication") || category.get().equals("iam"));
  }

  /** Events this rule matched. */
  public long matched() {
    return matched.get();
  }

  /** Events this rule dropped or sampled away. */
  public long removed() {
    return removed.get();
  }

  /** Matching events kept because they are authentication or iam events. */
  public long protectedCount() {
    return protectedEvents.get();
  }
}
