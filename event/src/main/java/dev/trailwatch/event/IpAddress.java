package dev.trailwatch.event;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A validated IPv4 or IPv6 address in its one normalised text form.
 *
 * <p>Normal form: IPv4 as a dotted quad without leading zeros ({@code 192.0.2.1}); IPv6 as RFC 5952
 * §4 text: lowercase hex, no leading zeros in a group, the longest run of two or more zero groups
 * (the first one on a tie) replaced by {@code ::}, a single zero group written as {@code 0}, always
 * hex (no embedded dotted quad). An IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}, in any
 * spelling) is the IPv4 address {@code 1.2.3.4}: both spellings name the same peer and must compare
 * equal in queries and detection rules.
 *
 * <p>Parsing is strict and purely textual: it never resolves a host name (no DNS) and rejects
 * anything that is not an address literal: IPv4 parts with leading zeros ({@code 010.0.0.1} is
 * octal to some tools and decimal to others), fewer than four IPv4 parts, IPv6 zone ids ({@code
 * fe80::1%eth0}), brackets, prefixes ({@code /24}) and surrounding white space.
 *
 * <p>Immutable and thread-safe. Equality and ordering are on the address bytes; IPv4 sorts before
 * IPv6.
 */
public final class IpAddress implements Comparable<IpAddress> {

  /** The longest valid literal: eight groups of four digits with an embedded dotted quad. */
  private static final int MAX_LITERAL_LENGTH = 45;

  private final byte[] bytes;
  private final String text;

  private IpAddress(byte[] bytes, String text) {
    this.bytes = bytes;
    this.text = text;
  }

  /**
   * Parses an IPv4 or IPv6 literal.
   *
   * @throws IllegalArgumentException when {@code text} is not an address literal; the message
   *     quotes the input and says what is wrong, e.g. {@code 'abc' is not an IPv4 or IPv6 address}
   */
  public static IpAddress parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("'' is not an IPv4 or IPv6 address (the text is empty)");
    }
    if (text.length() > MAX_LITERAL_LENGTH) {
      throw new IllegalArgumentException(
          Texts.quote(text)
              + " is not an IPv4 or IPv6 address (too long: "
              + text.length()
              + " characters, at most "
              + MAX_LITERAL_LENGTH
              + ")");
    }
    char first = text.charAt(0);
    if (first >= '0' && first <= '9' && text.length() <= 15) {
      int v4 = fastIpv4(text);
      if (v4 != -1 || text.equals("255.255.255.255")) {
        return ofIpv4(v4, text);
      }
    }
    if (text.indexOf(':') >= 0) {
      return parseIpv6(text);
    }
    if (isDigitsAndDots(text)) {
      return ofIpv4(parseIpv4(text, 0, text.length(), text, "IPv4"), text);
    }
    throw new IllegalArgumentException(Texts.quote(text) + " is not an IPv4 or IPv6 address");
  }

  /** Parses like {@link #parse(String)}, returning empty instead of throwing. */
  public static Optional<IpAddress> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The address with these network-order bytes: 4 for IPv4, 16 for IPv6 (an IPv4-mapped IPv6
   * address becomes IPv4).
   *
   * @throws IllegalArgumentException when the length is neither 4 nor 16
   */
  public static IpAddress ofBytes(byte[] address) {
    if (address.length == 4) {
      return ofIpv4(
          ((address[0] & 0xff) << 24)
              | ((address[1] & 0xff) << 16)
              | ((address[2] & 0xff) << 8)
              | (address[3] & 0xff),
          null);
    }
    if (address.length == 16) {
      return ofIpv6(address.clone(), null);
    }
    throw new IllegalArgumentException(
        "an IP address has 4 or 16 bytes, not " + address.length + " bytes");
  }

  /** The address of {@code address} (no lookup: only its bytes are used). */
  public static IpAddress of(InetAddress address) {
    return ofBytes(address.getAddress());
  }

  /** True for an IPv4 address (including one given as IPv4-mapped IPv6). */
  public boolean isIpv4() {
    return bytes.length == 4;
  }

  /** True for an IPv6 address that is not IPv4-mapped. */
  public boolean isIpv6() {
    return bytes.length == 16;
  }

  /** The address in network byte order: 4 or 16 bytes; a fresh copy. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** This address as an {@link InetAddress}, built from its bytes: no name lookup. */
  public InetAddress toInetAddress() {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always a valid address", e);
    }
  }

  /** The normalised text form described in the class comment. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IpAddress that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    // FNV-1a over the bytes, then folded: Arrays.hashCode (base 31) makes addresses that differ
    // only in their last bytes collide by the thousand (c+1, d-31 has the hash of c, d), which
    // turns hash maps keyed by address into trees.
    long h = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public int compareTo(IpAddress other) {
    if (bytes.length != other.bytes.length) {
      return Integer.compare(bytes.length, other.bytes.length);
    }
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  // ---------------------------------------------------------------------------------------------
  // IPv4

  /**
   * A well-formed dotted quad as an int, or -1 for anything else (then the careful parser gives the
   * message; -1 is also 255.255.255.255, which the caller checks).
   */
  private static int fastIpv4(String s) {
    int n = s.length();
    int value = 0;
    int i = 0;
    for (int part = 0; part < 4; part++) {
      if (i >= n) {
        return -1;
      }
      int start = i;
      int octet = 0;
      while (i < n && i - start < 3) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        octet = octet * 10 + (c - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || octet > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      value = (value << 8) | octet;
      if (part < 3) {
        if (i >= n || s.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return i == n ? value : -1;
  }

  private static boolean isDigitsAndDots(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a dotted quad in {@code s[from, to)}; {@code whole} is the full input for messages.
   * Returns the address as a big-endian int.
   */
  private static int parseIpv4(String s, int from, int to, String whole, String kind) {
    int value = 0;
    int parts = 0;
    int i = from;
    while (true) {
      int start = i;
      int part = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        part = part * 10 + (s.charAt(i) - '0');
        i++;
        if (i - start > 3) {
          String digits = s.substring(start, digitsEnd(s, start, to));
          throw ipv4Error(
              whole,
              kind,
              digits.charAt(0) == '0'
                  ? "part '" + digits + "' has a leading zero, which some tools read as octal"
                  : "part '" + digits + "' is larger than 255");
        }
      }
      if (i == start) {
        String problem =
            i < to
                ? "unexpected character '" + s.charAt(i) + "' where a number was expected"
                : "it ends where a number was expected";
        throw ipv4Error(whole, kind, problem);
      }
      if (part > 255) {
        throw ipv4Error(whole, kind, "part " + part + " is larger than 255");
      }
      if (i - start > 1 && s.charAt(start) == '0') {
        throw ipv4Error(
            whole,
            kind,
            "part '"
                + s.substring(start, i)
                + "' has a leading zero, which some tools read as octal");
      }
      value = (value << 8) | part;
      parts++;
      if (i == to) {
        break;
      }
      if (s.charAt(i) != '.') {
        throw ipv4Error(whole, kind, "unexpected character '" + s.charAt(i) + "'");
      }
      if (parts == 4) {
        throw ipv4Error(whole, kind, "it has more than 4 parts");
      }
      i++;
    }
    if (parts != 4) {
      throw ipv4Error(whole, kind, "it has " + parts + " parts, an IPv4 address has 4");
    }
    return value;
  }

  private static int digitsEnd(String s, int from, int to) {
    int i = from;
    while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  private static IllegalArgumentException ipv4Error(String whole, String kind, String problem) {
    return new IllegalArgumentException(
        Texts.quote(whole) + " is not an " + kind + " address: " + problem);
  }

  private static IpAddress ofIpv4(int value, String textOrNull) {
    byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    // A parsed IPv4 literal has no leading zeros, so it is already in normal form.
    String text =
        textOrNull != null
            ? textOrNull
            : (value >>> 24)
                + "."
                + ((value >>> 16) & 0xff)
                + "."
                + ((value >>> 8) & 0xff)
                + "."
                + (value & 0xff);
    return new IpAddress(b, text);
  }

  // ---------------------------------------------------------------------------------------------
  // IPv6

  private static IpAddress parseIpv6(String s) {
    int len = s.length();
    int[] groups = new int[8];
    int count = 0;
    int gapAt = -1; // index in groups where "::" stands
    int i = 0;
    if (s.startsWith("::")) {
      gapAt = 0;
      i = 2;
    } else if (s.charAt(0) == ':') {
      throw ipv6Error(s, "it starts with a single ':'");
    }
    while (i < len) {
      int start = i;
      int value = 0;
      while (i < len && hexValue(s.charAt(i)) >= 0) {
        value = (value << 4) | hexValue(s.charAt(i));
        i++;
      }
      if (i < len && s.charAt(i) == '.') {
        if (count > 6) {
          throw ipv6Error(s, "it has too many groups before the embedded IPv4 address");
        }
        int v4 = parseIpv4(s, start, len, s, "IPv6");
        groups[count++] = v4 >>> 16;
        groups[count++] = v4 & 0xffff;
        i = len;
        break;
      }
      if (i == start) {
        char c = s.charAt(i);
        throw ipv6Error(
            s,
            c == ':'
                ? "it has ':::' or an empty group"
                : c == '%'
                    ? "zone ids ('%...') are not supported"
                    : "unexpected character '" + c + "'");
      }
      if (i - start > 4) {
        throw ipv6Error(s, "group '" + s.substring(start, i) + "' has more than 4 hex digits");
      }
      if (count == 8) {
        throw ipv6Error(s, "it has more than 8 groups");
      }
      groups[count++] = value;
      if (i == len) {
        break;
      }
      char c = s.charAt(i);
      if (c != ':') {
        throw ipv6Error(
            s,
            c == '%' ? "zone ids ('%...') are not supported" : "unexpected character '" + c + "'");
      }
      i++;
      if (i < len && s.charAt(i) == ':') {
        if (gapAt >= 0) {
          throw ipv6Error(s, "'::' may appear only once");
        }
        gapAt = count;
        i++;
      } else if (i == len) {
        throw ipv6Error(s, "it ends with a single ':'");
      }
    }
    byte[] b = new byte[16];
    if (gapAt < 0) {
      if (count != 8) {
        throw ipv6Error(s, "it has " + count + " groups, an IPv6 address without '::' has 8");
      }
      fill(b, groups, 0, 8, 0);
    } else {
      if (count > 7) {
        throw ipv6Error(s, "'::' must stand for at least one zero group, but 8 groups are given");
      }
      fill(b, groups, 0, gapAt, 0);
      fill(b, groups, gapAt, count, 8 - count);
    }
    return ofIpv6(b, s);
  }

  private static void fill(byte[] b, int[] groups, int from, int to, int shift) {
    for (int g = from; g < to; g++) {
      b[2 * (g + shift)] = (byte) (groups[g] >>> 8);
      b[2 * (g + shift) + 1] = (byte) groups[g];
    }
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static IllegalArgumentException ipv6Error(String whole, String problem) {
    return new IllegalArgumentException(Texts.quote(whole) + " is not an IPv6 address: " + problem);
  }

  /** Takes ownership of {@code b} (16 bytes). */
  private static IpAddress ofIpv6(byte[] b, String inputOrNull) {
    boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    for (int k = 0; k < 10 && mapped; k++) {
      mapped = b[k] == 0;
    }
    if (mapped) {
      return ofIpv4(
          ((b[12] & 0xff) << 24) | ((b[13] & 0xff) << 16) | ((b[14] & 0xff) << 8) | (b[15] & 0xff),
          null);
    }
    String text = rfc5952(b);
    // Keep the caller's string when it is already normal: one string instead of two.
    return new IpAddress(b, text.equals(inputOrNull) ? inputOrNull : text);
  }

  private static String rfc5952(byte[] b) {
    int[] g = new int[8];
    for (int k = 0; k < 8; k++) {
      g[k] = ((b[2 * k] & 0xff) << 8) | (b[2 * k + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1; // a single zero group is never compressed
    for (int k = 0; k < 8; ) {
      if (g[k] != 0) {
        k++;
        continue;
      }
      int start = k;
      while (k < 8 && g[k] == 0) {
        k++;
      }
      if (k - start > bestLen) {
        bestStart = start;
        bestLen = k - start;
      }
    }
    StringBuilder out = new StringBuilder(39);
    for (int k = 0; k < 8; k++) {
      if (k == bestStart) {
        out.append("::");
        k += bestLen - 1;
        continue;
      }
      if (k > 0 && k != bestStart + bestLen) {
        out.append(':');
      }
      out.append(Integer.toHexString(g[k]));
    }
    return out.toString();
  }
}
