package dev.trailwatch.search.query;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Rfc3339;
import java.time.Instant;

/**
 * One value in a result: a field's value or a computed number. The order ({@link #compareTo}) is
 * the one {@code sort}, {@code stats} and {@code top} use: text in Unicode code point order (the
 * byte order of UTF-8, as in the index), numbers and times in their natural order, IP addresses by
 * {@link IpAddress#compareTo} (IPv4 before IPv6), and {@link Absent} after every value. Values of
 * different kinds never share a column; if compared they order by kind.
 */
public sealed interface Value extends Comparable<Value> {
  /** The value of a field that an event does not have. */
  Value ABSENT = new Absent();

  /** A keyword (also {@code event.outcome}, {@code user.roles} and labels). */
  record Text(String text) implements Value {
    public Text {
      requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** A port, a status code or a count. */
  record Int(long value) implements Value {
    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  /** {@code @timestamp}, or the start of a {@code timechart} bucket. */
  record Time(Instant instant) implements Value {
    public Time {
      requireNonNull(instant, "instant");
    }

    @Override
    public String toString() {
      return Rfc3339.format(instant);
    }
  }

  /** An IP address. */
  record Ip(IpAddress address) implements Value {
    public Ip {
      requireNonNull(address, "address");
    }

    @Override
    public String toString() {
      return address.toString();
    }
  }

  /** No value: the event does not have the field. Shown as an empty cell. */
  record Absent() implements Value {
    @Override
    public String toString() {
      return "";
    }
  }

  @Override
  default int compareTo(Value other) {
    int byKind = Integer.compare(rank(this), rank(other));
    if (byKind != 0) {
      return byKind;
    }
    return switch (this) {
      case Text a -> compareCodePoints(a.text(), ((Text) other).text());
      case Int a -> Long.compare(a.value(), ((Int) other).value());
      case Time a -> a.instant().compareTo(((Time) other).instant());
      case Ip a -> a.address().compareTo(((Ip) other).address());
      case Absent a -> 0;
    };
  }

  private static int rank(Value v) {
    return switch (v) {
      case Time t -> 0;
      case Int i -> 1;
      case Ip i -> 2;
      case Text t -> 3;
      case Absent a -> 4;
    };
  }

  /** Orders strings by code point, which {@link String#compareTo} (UTF-16 units) does not. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
