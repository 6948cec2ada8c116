package dev.trailwatch.search.query;

import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.event.Rfc3339;
import dev.trailwatch.search.query.Schema.QueryField;
import dev.trailwatch.search.query.Token.Kind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * Turns one term of a query into a {@link Filter} leaf by the type of its field: this is where a
 * value is checked against its field ({@code source.port:abc}, CIDR on a keyword, {@code >=} on
 * {@code message}). A quoted value is always literal; in an unquoted one, {@code *} and {@code ?}
 * are wildcards unless escaped, and a value of only {@code *} means "has the field".
 */
final class FieldTerms {
  private FieldTerms() {}

  /** {@code field:value}. */
  static Filter match(Cursor cursor, QueryField field, Token value) throws QueryException {
    boolean quoted = value.is(Kind.QUOTED);
    String raw = value.text();
    if (!quoted && Words.isAllStars(raw)) {
      return new Filter.Exists(field.name());
    }
    boolean wildcard = !quoted && Words.hasWildcard(raw);
    String literal = quoted ? raw : Words.unescape(raw);
    return switch (field.kind()) {
      case KEYWORD, OUTCOME -> {
        if (wildcard) {
          yield new Filter.KeywordMatches(field.name(), pattern(cursor, value));
        }
        if (!quoted && isCidr(literal)) {
          throw cursor.error(
              value,
              "CIDR ranges work on source.ip and destination.ip; "
                  + field.name()
                  + " is a keyword field (quote the value to match it as text)");
        }
        checkOutcome(cursor, field, value, literal);
        yield new Filter.KeywordEquals(field.name(), literal);
      }
      case INT -> {
        noWildcard(cursor, field, value, wildcard);
        int n = integer(cursor, field, value, literal);
        yield new Filter.IntRange(field.name(), n, n);
      }
      case TIME -> {
        noWildcard(cursor, field, value, wildcard);
        Instant t = time(cursor, value, literal);
        yield new Filter.TimestampRange(t, t);
      }
      case IP -> {
        noWildcard(cursor, field, value, wildcard);
        yield ip(cursor, field, value, literal);
      }
      case TEXT ->
          wildcard
              ? new Filter.TextMatches(pattern(cursor, value).lowerCase())
              : phrase(cursor, value, literal);
    };
  }

  /** {@code field op value}. */
  static Filter compare(Cursor cursor, QueryField field, Comparison op, Token value)
      throws QueryException {
    boolean quoted = value.is(Kind.QUOTED);
    if (!quoted && Words.hasWildcard(value.text())) {
      throw cursor.error(
          value,
          "'" + op.symbol() + "' compares with one value, not a pattern; escape a literal * or ?");
    }
    String literal = quoted ? value.text() : Words.unescape(value.text());
    return switch (field.kind()) {
      case KEYWORD, OUTCOME -> new Filter.KeywordCompare(field.name(), op, literal);
      case INT -> intRange(field, op, integer(cursor, field, value, literal));
      case TIME -> timeRange(op, time(cursor, value, literal));
      case IP ->
          throw cursor.error(
              value,
              field.name()
                  + " is an IP address field: match a network with CIDR instead of '"
                  + op.symbol()
                  + "', like "
                  + field.name()
                  + ":10.0.0.0/8");
      case TEXT ->
          throw cursor.error(
              value,
              field.name()
                  + " is a full-text field and cannot be compared with '"
                  + op.symbol()
                  + "'; search for words instead, like message:timeout");
    };
  }

  /** A bare word or quoted text: words of {@code message}. */
  static Filter text(Cursor cursor, Token token) throws QueryException {
    if (!token.is(Kind.QUOTED) && Words.hasWildcard(token.text())) {
      return new Filter.TextMatches(pattern(cursor, token).lowerCase());
    }
    String literal = token.is(Kind.QUOTED) ? token.text() : Words.unescape(token.text());
    return phrase(cursor, token, literal);
  }

  private static Filter phrase(Cursor cursor, Token token, String literal) throws QueryException {
    List<String> words = MessageText.words(literal);
    if (words.isEmpty()) {
      throw cursor.error(
          token, token.describe() + " has no word to search for: message is searched by its words");
    }
    return new Filter.TextPhrase(words);
  }

  private static Wildcard pattern(Cursor cursor, Token token) throws QueryException {
    Wildcard pattern = Wildcard.parse(token.text());
    try {
      WildcardQuery.toAutomaton(
          new Term("pattern", pattern.toLucene()), Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
    } catch (TooComplexToDeterminizeException e) {
      throw cursor.error(
          token, "the pattern " + token.describe() + " is too complex; use fewer '?' after a '*'");
    }
    return pattern;
  }

  private static void noWildcard(Cursor cursor, QueryField field, Token value, boolean wildcard)
      throws QueryException {
    if (wildcard) {
      throw cursor.error(
          value,
          "wildcards work on keyword and full-text fields; "
              + field.name()
              + " is "
              + field.kind().describe()
              + " (escape a literal * or ?)");
    }
  }

  private static void checkOutcome(Cursor cursor, QueryField field, Token value, String literal)
      throws QueryException {
    if (field.kind() == FieldKind.OUTCOME && Outcome.fromEcs(literal).isEmpty()) {
      throw cursor.error(
          value,
          field.name()
              + " is success, failure or unknown, not '"
              + Words.shorten(literal)
              + "' (lower case)");
    }
  }

  private static int integer(Cursor cursor, QueryField field, Token value, String literal)
      throws QueryException {
    Optional<Integer> n = parseInt(literal);
    if (n.isEmpty()) {
      throw cursor.error(
          value,
          field.name()
              + " is an integer field; '"
              + Words.shorten(literal)
              + "' is not an integer"
              + (isDigits(literal) ? " between -2147483648 and 2147483647" : ""));
    }
    return n.get();
  }

  private static Optional<Integer> parseInt(String s) {
    String digits = s.startsWith("-") ? s.substring(1) : s;
    if (!isDigits(digits)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static Instant time(Cursor cursor, Token value, String literal) throws QueryException {
    try {
      return Rfc3339.parse(literal);
    } catch (IllegalArgumentException e) {
      throw cursor.error(value, "@timestamp takes RFC 3339 times: " + e.getMessage());
    }
  }

  private static Filter ip(Cursor cursor, QueryField field, Token value, String literal)
      throws QueryException {
    int slash = literal.indexOf('/');
    String address = slash < 0 ? literal : literal.substring(0, slash);
    IpAddress ip;
    try {
      ip = IpAddress.parse(address);
    } catch (IllegalArgumentException e) {
      throw cursor.error(value, field.name() + " is an IP address field: " + e.getMessage());
    }
    int max = ip.isIpv4() ? 32 : 128;
    if (slash < 0) {
      return new Filter.IpPrefix(field.name(), ip, max);
    }
    String length = literal.substring(slash + 1);
    Optional<Integer> prefix = isDigits(length) ? parseInt(length) : Optional.empty();
    if (prefix.isEmpty() || prefix.get() > max) {
      throw cursor.error(
          value,
          "'"
              + Words.shorten(length)
              + "' is not a prefix length for "
              + (ip.isIpv4() ? "an IPv4" : "an IPv6")
              + " network: use 0 to "
              + max
              + ", like "
              + (ip.isIpv4() ? "10.0.0.0/8" : "2001:db8::/32"));
    }
    return new Filter.IpPrefix(field.name(), network(ip, prefix.get()), prefix.get());
  }

  /** {@code ip} with the bits after {@code prefixLength} set to zero. */
  private static IpAddress network(IpAddress ip, int prefixLength) {
    byte[] bytes = ip.bytes();
    for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return IpAddress.ofBytes(bytes);
  }

  private static boolean isCidr(String literal) {
    int slash = literal.indexOf('/');
    return slash > 0
        && isDigits(literal.substring(slash + 1))
        && IpAddress.tryParse(literal.substring(0, slash)).isPresent();
  }

  private static Filter intRange(QueryField field, Comparison op, int n) {
    long min = Integer.MIN_VALUE;
    long max = Integer.MAX_VALUE;
    switch (op) {
      case LESS -> max = n - 1L;
      case LESS_OR_EQUAL -> max = n;
      case GREATER -> min = n + 1L;
      case GREATER_OR_EQUAL -> min = n;
    }
    if (min > max) {
      return new Filter.IntRange(field.name(), 1, 0);
    }
    return new Filter.IntRange(field.name(), (int) min, (int) max);
  }

  private static Filter timeRange(Comparison op, Instant t) {
    return switch (op) {
      case LESS -> new Filter.TimestampRange(Rfc3339.MIN, t.minusNanos(1));
      case LESS_OR_EQUAL -> new Filter.TimestampRange(Rfc3339.MIN, t);
      case GREATER -> new Filter.TimestampRange(t.plusNanos(1), Rfc3339.MAX);
      case GREATER_OR_EQUAL -> new Filter.TimestampRange(t, Rfc3339.MAX);
    };
  }
}
