package dev.trailwatch.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Recognises input that already is the canonical form of a valid event, byte for byte, without
 * building the event: one pass over the bytes that checks the layout of {@link EventJson}'s
 * canonical form (keys in their fixed order, no white space, only the canonical escapes, plain
 * decimal numbers, the 30-character timestamp, IPs in normal form, labels sorted) and the rules of
 * {@link AccessEvent} (required fields, non-empty keywords, ranges, someone who acted).
 *
 * <p>When {@link #isCanonical} says yes, the input is what {@code canonical(decode(input))} would
 * produce, so an importer can store it as it is. When in doubt it says no (for example, for label
 * keys outside ASCII, whose order is a matter of UTF-16, or for escaped surrogates), and the caller
 * takes the general path, which gives the same result, only slower. {@code CanonicalCheckTest}
 * holds it to that: no input it accepts decodes to anything else.
 */
final class CanonicalCheck {
  /** What a member's value must be. */
  private enum Kind {
    KEYWORD,
    TEXT,
    TIMESTAMP,
    OUTCOME,
    PORT,
    STATUS_CODE,
    IP,
    ROLES,
    LABELS,
    OBJECT
  }

  /**
   * One member of an object in the canonical layout: its key as written ({@code "name":}), what its
   * value must be, and for objects their members in order.
   */
  private record Member(byte[] key, Kind kind, boolean required, Role role, Member... members) {}

  /** What a member's presence tells about the event as a whole. */
  private enum Role {
    NONE,
    /** Names who acted: user.name, user.id, source.ip. */
    ACTOR,
    /** event.dataset, which excuses a missing actor when it is "unparsed". */
    DATASET,
    /** event.id, which receivers use to drop retried events. */
    EVENT_ID,
    /** tenant, which scopes event.id. */
    TENANT
  }

  private static final Member[] LAYOUT = {
    required("@timestamp", Kind.TIMESTAMP),
    object(
        "event",
        true,
        required("action", Kind.KEYWORD),
        required("outcome", Kind.OUTCOME),
        optional("category", Kind.KEYWORD),
        new Member(key("dataset"), Kind.KEYWORD, false, Role.DATASET),
        new Member(key("id"), Kind.KEYWORD, false, Role.EVENT_ID)),
    object(
        "user",
        false,
        new Member(key("name"), Kind.KEYWORD, false, Role.ACTOR),
        new Member(key("id"), Kind.KEYWORD, false, Role.ACTOR),
        optional("roles", Kind.ROLES)),
    object(
        "source",
        false,
        new Member(key("ip"), Kind.IP, false, Role.ACTOR),
        optional("port", Kind.PORT)),
    object("destination", false, optional("ip", Kind.IP), optional("port", Kind.PORT)),
    object("host", false, optional("name", Kind.KEYWORD)),
    object("service", false, optional("name", Kind.KEYWORD)),
    object("url", false, optional("path", Kind.KEYWORD)),
    object(
        "http",
        false,
        object("request", false, optional("method", Kind.KEYWORD)),
        object("response", false, optional("status_code", Kind.STATUS_CODE))),
    object("user_agent", false, optional("original", Kind.KEYWORD)),
    object("resource", false, optional("type", Kind.KEYWORD), optional("id", Kind.KEYWORD)),
    object("session", false, optional("id", Kind.KEYWORD)),
    object("trace", false, optional("id", Kind.KEYWORD)),
    optional("message", Kind.TEXT),
    optional("labels", Kind.LABELS),
    new Member(key("tenant"), Kind.KEYWORD, false, Role.TENANT)
  };

  private static final byte[][] OUTCOMES = {
    ascii("\"success\""), ascii("\"failure\""), ascii("\"unknown\"")
  };
  private static final byte[] UNPARSED = ascii(AccessEvent.UNPARSED_DATASET);

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long QUOTES = '"' * ONES;
  private static final long BACKSLASHES = '\\' * ONES;

  private final byte[] b;
  private final int end;
  private int p;

  /** Whether someone who acted is named: user.name, user.id or source.ip. */
  private boolean actor;

  /** Whether event.dataset is "unparsed", which excuses a missing actor. */
  private boolean unparsed;

  /** Where the values of event.id and tenant are, quotes included; -1 when absent. */
  private int idFrom = -1;

  private int idTo;
  private int tenantFrom = -1;
  private int tenantTo;

  /** The label keys, when a caller wants them ({@link #recognise}); else null. */
  private List<String> labelKeys;

  private CanonicalCheck(byte[] b, int from, int to) {
    this.b = b;
    this.p = from;
    this.end = to;
  }

  /**
   * Whether {@code b[from, from + length)} is exactly the canonical form of a valid event. False
   * means only "not recognised": the input may still be valid.
   */
  static boolean isCanonical(byte[] b, int from, int length) {
    return check(b, from, length, false) != null;
  }

  /**
   * Like {@link #isCanonical}, and for input that is canonical also what a receiver needs before
   * storing it (event.id, tenant, label keys), without building the event.
   */
  static Optional<CanonicalEvent> recognise(byte[] b, int from, int length) {
    CanonicalCheck check = check(b, from, length, true);
    if (check == null) {
      return Optional.empty();
    }
    byte[] bytes = Arrays.copyOfRange(b, from, from + length);
    Optional<String> id = check.keyword(check.idFrom, check.idTo);
    Optional<String> tenant = check.keyword(check.tenantFrom, check.tenantTo);
    if (id == null || tenant == null) { // escaped: let the reader unescape them
      AccessEvent e = EventJson.decodeCanonical(bytes);
      id = e.event().id();
      tenant = e.tenant();
    }
    return Optional.of(new CanonicalEvent(bytes, id, tenant, check.labelKeys));
  }

  /** The finished check of a canonical slice, or null; {@code keys}: collect the label keys. */
  private static CanonicalCheck check(byte[] b, int from, int length, boolean keys) {
    if (from < 0 || length < 0 || from + length > b.length) {
      throw new IndexOutOfBoundsException(from + "+" + length + " of " + b.length);
    }
    int to = from + length;
    if (Utf8.firstInvalid(b, from, to) >= 0) {
      return null;
    }
    CanonicalCheck check = new CanonicalCheck(b, from, to);
    check.labelKeys = keys ? new ArrayList<>(4) : null;
    boolean canonical = check.object(LAYOUT) && check.p == to && (check.actor || check.unparsed);
    return canonical ? check : null;
  }

  /** The keyword at {@code [from, to)} (quotes included); null when it holds an escape. */
  private Optional<String> keyword(int from, int to) {
    if (from < 0) {
      return Optional.empty();
    }
    for (int k = from + 1; k < to - 1; k++) {
      if (b[k] == '\\') {
        return null;
      }
    }
    return Optional.of(new String(b, from + 1, to - from - 2, StandardCharsets.UTF_8));
  }

  /**
   * An object whose members appear in the order of {@code members}, each at most once, the required
   * ones always; never empty (the encoder omits empty objects).
   */
  private boolean object(Member[] members) {
    if (!next('{')) {
      return false;
    }
    int i = 0;
    boolean any = false;
    while (p < end && b[p] != '}') {
      if (any && !next(',')) {
        return false;
      }
      while (i < members.length && !matches(p, members[i].key())) {
        if (members[i].required()) {
          return false;
        }
        i++;
      }
      if (i == members.length) {
        return false;
      }
      Member m = members[i++];
      p += m.key().length;
      if (!value(m)) {
        return false;
      }
      any = true;
    }
    for (; i < members.length; i++) {
      if (members[i].required()) {
        return false;
      }
    }
    return any && next('}');
  }

  private boolean value(Member m) {
    int from = p;
    boolean ok =
        switch (m.kind()) {
          case KEYWORD -> keyword();
          case TEXT -> string(true);
          case TIMESTAMP -> timestamp();
          case OUTCOME -> oneOf(OUTCOMES);
          case PORT -> integer(0, 65_535);
          case STATUS_CODE -> integer(100, 599);
          case IP -> ip();
          case ROLES -> roles();
          case LABELS -> labels();
          case OBJECT -> object(m.members());
        };
    if (ok) {
      switch (m.role()) {
        case ACTOR -> actor = true;
        case DATASET -> unparsed = Arrays.equals(b, from + 1, p - 1, UNPARSED, 0, UNPARSED.length);
        case EVENT_ID -> {
          idFrom = from;
          idTo = p;
        }
        case TENANT -> {
          tenantFrom = from;
          tenantTo = p;
        }
        case NONE -> {}
      }
    }
    return ok;
  }

  private boolean roles() {
    if (!next('[')) {
      return false;
    }
    do {
      if (!keyword()) {
        return false;
      }
    } while (next(','));
    return next(']');
  }

  /**
   * Label keys must be sorted by {@link String#compareTo}, which for plain ASCII without escapes is
   * the order of the bytes; anything else is left to the general path.
   */
  private boolean labels() {
    if (!next('{')) {
      return false;
    }
    int previousFrom = -1;
    int previousTo = -1;
    do {
      int from = p + 1;
      if (!string(false)) {
        return false;
      }
      int to = p - 1;
      for (int k = from; k < to; k++) {
        if (b[k] < 0x20 || b[k] == '\\') { // non-ASCII bytes are negative
          return false;
        }
      }
      if (previousFrom >= 0 && Arrays.compare(b, previousFrom, previousTo, b, from, to) >= 0) {
        return false; // not sorted, or a duplicate
      }
      previousFrom = from;
      previousTo = to;
      if (labelKeys != null) {
        labelKeys.add(new String(b, from, to - from, StandardCharsets.US_ASCII));
      }
      if (!next(':') || !string(true)) {
        return false;
      }
    } while (next(','));
    return next('}');
  }

  /** {@code "YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ"}, a date and time that exist. */
  private boolean timestamp() {
    int s = p + 1;
    if (s + Rfc3339.CANONICAL_LENGTH >= end
        || b[p] != '"'
        || b[s + Rfc3339.CANONICAL_LENGTH] != '"') {
      return false;
    }
    for (int i = 0; i < Rfc3339.CANONICAL_LENGTH; i++) {
      byte c = b[s + i];
      boolean ok =
          switch (i) {
            case 4, 7 -> c == '-';
            case 10 -> c == 'T';
            case 13, 16 -> c == ':';
            case 19 -> c == '.';
            case 29 -> c == 'Z';
            default -> c >= '0' && c <= '9';
          };
      if (!ok) {
        return false;
      }
    }
    int year = digits(s, 4);
    int month = digits(s + 5, 2);
    int day = digits(s + 8, 2);
    if (month < 1 || month > 12 || day < 1 || day > java.time.Month.of(month).length(leap(year))) {
      return false;
    }
    if (digits(s + 11, 2) > 23 || digits(s + 14, 2) > 59 || digits(s + 17, 2) > 59) {
      return false;
    }
    p = s + Rfc3339.CANONICAL_LENGTH + 1;
    return true;
  }

  private static boolean leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  }

  private int digits(int at, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      v = v * 10 + (b[at + i] - '0');
    }
    return v;
  }

  /** A plain decimal integer in {@code min..max}: no sign, no leading zero, no fraction. */
  private boolean integer(int min, int max) {
    int s = p;
    int v = 0;
    while (p < end && b[p] >= '0' && b[p] <= '9' && p - s < 6) {
      v = v * 10 + (b[p++] - '0');
    }
    int n = p - s;
    if (n == 0 || n > 5 || (n > 1 && b[s] == '0')) {
      return false;
    }
    return v >= min && v <= max;
  }

  /**
   * An IP in normal form: IPv4 as four decimal parts without leading zeros; anything else is parsed
   * and compared with its normal form.
   */
  private boolean ip() {
    int from = p + 1;
    if (!string(false)) {
      return false;
    }
    int to = p - 1;
    if (to - from <= 15 && ipv4(from, to)) {
      return true;
    }
    for (int k = from; k < to; k++) {
      if (b[k] == '\\' || b[k] < 0x20) {
        return false;
      }
    }
    String text = new String(b, from, to - from, StandardCharsets.UTF_8);
    return text.indexOf(':') >= 0
        && IpAddress.tryParse(text).map(ip -> ip.toString().equals(text)).orElse(false);
  }

  private boolean ipv4(int from, int to) {
    int parts = 0;
    int i = from;
    while (parts < 4) {
      int s = i;
      int v = 0;
      while (i < to && b[i] >= '0' && b[i] <= '9' && i - s < 3) {
        v = v * 10 + (b[i++] - '0');
      }
      int n = i - s;
      if (n == 0 || v > 255 || (n > 1 && b[s] == '0')) {
        return false;
      }
      parts++;
      if (parts < 4) {
        if (i >= to || b[i] != '.') {
          return false;
        }
        i++;
      }
    }
    return i == to;
  }

  /** A non-empty string. */
  private boolean keyword() {
    int from = p;
    return string(false) && p - from > 2;
  }

  /**
   * A JSON string with only the canonical escapes; {@code mayBeEmpty} for text. The input is valid
   * UTF-8 already, so bytes of 0x80 and above are taken as they are.
   */
  private boolean string(boolean mayBeEmpty) {
    if (p >= end || b[p] != '"') {
      return false;
    }
    int i = p + 1;
    while (true) {
      i = plainRun(i);
      if (i >= end) {
        return false;
      }
      byte c = b[i];
      if (c == '"') {
        break;
      }
      if (c >= 0 && c < 0x20) {
        return false; // a raw control character: not even JSON
      }
      if (c == '\\') {
        if (i + 1 >= end) {
          return false;
        }
        byte e = b[i + 1];
        if (e == '"' || e == '\\' || e == 'b' || e == 't' || e == 'n' || e == 'f' || e == 'r') {
          i += 2;
          continue;
        }
        // Backslash-u-00xx for control characters without a short escape, lowercase hex; no other.
        if (e != 'u' || i + 5 >= end || b[i + 2] != '0' || b[i + 3] != '0') {
          return false;
        }
        int hi = b[i + 4];
        int lo = b[i + 5];
        int loValue =
            lo >= '0' && lo <= '9' ? lo - '0' : lo >= 'a' && lo <= 'f' ? lo - 'a' + 10 : -1;
        if ((hi != '0' && hi != '1') || loValue < 0) {
          return false;
        }
        char ch = (char) ((hi - '0') * 16 + loValue);
        if (JsonText.escape(ch) != null) {
          return false; // has a short form
        }
        i += 6;
        continue;
      }
      i++;
    }
    if (!mayBeEmpty && i == p + 1) {
      return false;
    }
    p = i + 1;
    return true;
  }

  /**
   * The first offset at or after {@code i} that may need a look (a quote, a backslash or a control
   * character), skipping 8 plain bytes at a time: a string's text is mostly plain.
   */
  private int plainRun(int i) {
    while (i + 8 <= end) {
      long w = (long) LONGS.get(b, i);
      long special = zeroByte(w ^ QUOTES) | zeroByte(w ^ BACKSLASHES) | below0x20(w);
      if (special != 0) {
        return i;
      }
      i += 8;
    }
    return i;
  }

  /** Non-zero when some byte of {@code w} is zero. */
  private static long zeroByte(long w) {
    return (w - ONES) & ~w & HIGH_BITS;
  }

  /** Non-zero when some byte of {@code w} is below 0x20 (bytes of 0x80 and above are not). */
  private static long below0x20(long w) {
    return (w - 0x20 * ONES) & ~w & HIGH_BITS;
  }

  private boolean oneOf(byte[][] options) {
    for (byte[] o : options) {
      if (matches(p, o)) {
        p += o.length;
        return true;
      }
    }
    return false;
  }

  private boolean next(char c) {
    if (p < end && b[p] == c) {
      p++;
      return true;
    }
    return false;
  }

  private boolean matches(int at, byte[] bytes) {
    return at + bytes.length <= end
        && Arrays.equals(b, at, at + bytes.length, bytes, 0, bytes.length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static Member required(String name, Kind kind) {
    return new Member(key(name), kind, true, Role.NONE);
  }

  private static Member optional(String name, Kind kind) {
    return new Member(key(name), kind, false, Role.NONE);
  }

  private static Member object(String name, boolean required, Member... members) {
    return new Member(key(name), Kind.OBJECT, required, Role.NONE, members);
  }

  /** {@code "<name>":}, as the key precedes a value in the canonical form. */
  private static byte[] key(String name) {
    return ascii("\"" + name + "\":");
  }
}
