package dev.trailwatch.search.query;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Field;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Rfc3339;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Writes random queries as a person would type them, with values taken from a corpus so that many
 * match something. Each filter has a focus event: every term that is not negated or in an
 * alternative is true for it, so conjunctions do not collapse to nothing. Spelling varies: quoted
 * or escaped values, keyword case, explicit or implicit {@code and}, spare parentheses.
 */
public final class RandomQueries {
  private static final List<Field> KEYWORDS =
      List.of(
          Field.EVENT_ACTION,
          Field.EVENT_OUTCOME,
          Field.EVENT_CATEGORY,
          Field.EVENT_DATASET,
          Field.USER_NAME,
          Field.USER_ID,
          Field.USER_ROLES,
          Field.HOST_NAME,
          Field.SERVICE_NAME,
          Field.URL_PATH,
          Field.HTTP_REQUEST_METHOD,
          Field.USER_AGENT_ORIGINAL,
          Field.RESOURCE_TYPE,
          Field.RESOURCE_ID,
          Field.SESSION_ID,
          Field.TRACE_ID,
          Field.TENANT);
  private static final List<Field> INTS =
      List.of(Field.SOURCE_PORT, Field.DESTINATION_PORT, Field.HTTP_RESPONSE_STATUS_CODE);
  private static final List<Field> IPS = List.of(Field.SOURCE_IP, Field.DESTINATION_IP);
  private static final List<String> COMPARISONS = List.of("<", "<=", ">", ">=");
  private static final List<String> SPANS = List.of("30m", "1h", "6h", "1d");

  private final SplittableRandom random;
  private final List<StoredEvent> events;

  /** Events with an IPv6 address: rare in the corpus, so focused on now and then. */
  private final List<AccessEvent> ipv6;

  public RandomQueries(SplittableRandom random, List<StoredEvent> events) {
    this.random = random;
    this.events = events;
    this.ipv6 =
        events.stream()
            .map(StoredEvent::event)
            .filter(
                e -> IPS.stream().anyMatch(f -> e.get(f).map(RandomQueries::isIpv6).orElse(false)))
            .toList();
  }

  private static boolean isIpv6(Object ip) {
    return ((IpAddress) ip).isIpv6();
  }

  /** A filter of up to three levels of {@code and}, {@code or}, {@code not} and groups. */
  public String filter() {
    AccessEvent focus = random.nextInt(8) == 0 && !ipv6.isEmpty() ? pick(ipv6) : event();
    return expression(focus, random.nextInt(4));
  }

  /** A filter (often a simple one) and one or more stages. */
  public String pipeline() {
    AccessEvent focus = event();
    String filter =
        switch (random.nextInt(4)) {
          case 0 -> "";
          case 1 -> "*";
          case 2 -> leaf(focus);
          default -> expression(focus, 2);
        };
    String field = valuedField(focus);
    String other = valuedField(event());
    String third = valuedField(focus);
    while (other.equals(field)) {
      other = valuedField(event());
    }
    while (third.equals(field)) {
      third = valuedField(focus);
    }
    String stages =
        switch (random.nextInt(9)) {
          case 0 -> " | stats count() by " + field;
          case 1 ->
              " | stats count(), dc("
                  + other
                  + ") by "
                  + field
                  + ", "
                  + third
                  + " | sort -count() | head "
                  + random.nextInt(1, 30);
          case 2 -> " | STATS Count(), DC(" + other + ")";
          case 3 -> " | timechart span=" + pick(SPANS) + " count()";
          case 4 ->
              " | timechart span="
                  + pick(SPANS)
                  + " count(), dc("
                  + other
                  + ") by "
                  + field
                  + (random.nextBoolean() ? " | sort -count() | head 20" : "");
          case 5 -> " | top " + random.nextInt(1, 20) + " " + field;
          case 6 ->
              " | sort "
                  + (random.nextBoolean() ? "-" : "")
                  + field
                  + " | head "
                  + random.nextInt(0, 200);
          case 7 ->
              " | sort "
                  + (random.nextBoolean() ? "-" : "")
                  + field
                  + ", -"
                  + other
                  + " | fields "
                  + field
                  + ", "
                  + other
                  + " | head "
                  + random.nextInt(1, 500);
          default -> " | head " + random.nextInt(0, 50) + " | stats count() by " + field;
        };
    return filter + stages;
  }

  private String expression(AccessEvent focus, int depth) {
    if (depth == 0 || random.nextInt(5) == 0) {
      return leaf(focus);
    }
    return switch (random.nextInt(4)) {
      case 0, 1 -> {
        List<String> parts = new ArrayList<>();
        int n = random.nextInt(2, 4);
        String separator = pick(List.of(" and ", " AND ", " ", " And "));
        for (int i = 0; i < n; i++) {
          String part = group(expression(focus, depth - 1));
          // Side by side, a word after field:value is an error: put that term in parentheses.
          boolean bare = separator.isBlank() && i < n - 1 && !part.startsWith("(");
          parts.add(bare ? "(" + part + ")" : part);
        }
        yield join(parts, separator);
      }
      case 2 -> {
        List<String> parts = new ArrayList<>();
        parts.add(group(expression(focus, depth - 1)));
        int n = random.nextInt(1, 3);
        for (int i = 0; i < n; i++) {
          parts.add(group(expression(event(), depth - 1)));
        }
        java.util.Collections.shuffle(parts, new java.util.Random(random.nextLong()));
        yield join(parts, pick(List.of(" or ", " OR ")));
      }
      default -> pick(List.of("not ", "NOT ", "not ")) + group(expression(event(), depth - 1));
    };
  }

  private String group(String expression) {
    boolean compound = expression.contains(" ");
    return compound || random.nextInt(8) == 0 ? "(" + expression + ")" : expression;
  }

  private static String join(List<String> parts, String separator) {
    return String.join(separator, parts);
  }

  /** One term that is true for {@code e} when it can be. */
  String leaf(AccessEvent e) {
    for (int attempt = 0; attempt < 20; attempt++) {
      Optional<String> term =
          switch (random.nextInt(12)) {
            case 0, 1 -> keyword(e);
            case 2 -> keywordPattern(e);
            case 3 -> keywordComparison(e);
            case 4 -> integer(e);
            case 5 -> time(e);
            case 6 -> ip(e);
            case 7 -> Optional.of(exists(e));
            case 8 -> label(e);
            case 9 -> text(e);
            case 10 -> valueGroup(e);
            default -> Optional.of(pick(List.of("event.outcome:failure", "event.outcome:success")));
          };
      if (term.isPresent()) {
        return term.get();
      }
    }
    return exists(e);
  }

  private Optional<String> keyword(AccessEvent e) {
    Field f = pick(KEYWORDS);
    return one(e, f).map(v -> f.ecsName() + ":" + literal(v));
  }

  private Optional<String> keywordPattern(AccessEvent e) {
    Field f = pick(KEYWORDS);
    return one(e, f).map(v -> f.ecsName() + ":" + pattern(v));
  }

  private Optional<String> keywordComparison(AccessEvent e) {
    Field f = pick(KEYWORDS);
    return one(e, f).map(v -> f.ecsName() + " " + pick(COMPARISONS) + " " + literal(v));
  }

  private Optional<String> integer(AccessEvent e) {
    Field f = pick(INTS);
    Optional<Object> v = e.get(f);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    int n = (Integer) v.get();
    return Optional.of(
        random.nextBoolean()
            ? f.ecsName() + ":" + n
            : f.ecsName()
                + pick(List.of(" ", ""))
                + pick(COMPARISONS)
                + pick(List.of(" ", ""))
                + (n + random.nextInt(-100, 101)));
  }

  private Optional<String> time(AccessEvent e) {
    Instant t = e.timestamp();
    String exact = Rfc3339.format(t);
    Instant near = t.plusSeconds(random.nextLong(-86_400, 86_401));
    return Optional.of(
        switch (random.nextInt(3)) {
          case 0 -> "@timestamp:" + (random.nextBoolean() ? exact : "\"" + exact + "\"");
          case 1 -> "@timestamp " + pick(COMPARISONS) + " " + Rfc3339.format(near);
          default ->
              "(@timestamp >= "
                  + Rfc3339.format(t.minusSeconds(random.nextInt(3_600)))
                  + " and @timestamp < "
                  + Rfc3339.format(t.plusSeconds(random.nextInt(1, 3_600)))
                  + ")";
        });
  }

  private Optional<String> ip(AccessEvent e) {
    Field f = pick(IPS);
    Optional<Object> v = e.get(f);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    IpAddress ip = (IpAddress) v.get();
    if (random.nextInt(4) == 0) {
      return Optional.of(f.ecsName() + ":" + ip);
    }
    int prefix =
        ip.isIpv4()
            ? pick(List.of(0, 8, 12, 16, 20, 24, 28, 31, 32))
            : pick(List.of(0, 8, 16, 32, 48, 64, 96, 127, 128));
    return Optional.of(f.ecsName() + ":" + ip + "/" + prefix);
  }

  private String exists(AccessEvent e) {
    List<String> names = new ArrayList<>();
    for (Field f : Field.values()) {
      if (f != Field.LABELS) {
        names.add(f.ecsName());
      }
    }
    e.labels().keySet().forEach(k -> names.add("labels." + k));
    names.add("labels.no_such_label");
    return escapeName(pick(names)) + ":" + pick(List.of("*", "*", "**", "(*)"));
  }

  private Optional<String> label(AccessEvent e) {
    if (e.labels().isEmpty()) {
      return Optional.empty();
    }
    List<Map.Entry<String, String>> labels = new ArrayList<>(e.labels().entrySet());
    Map.Entry<String, String> l = pick(labels);
    String name = escapeName("labels." + l.getKey());
    return Optional.of(
        random.nextBoolean()
            ? name + ":" + literal(l.getValue())
            : name + ":" + pattern(l.getValue()));
  }

  private Optional<String> text(AccessEvent e) {
    List<String> words = e.message().map(MessageText::words).orElse(List.of());
    if (words.isEmpty()) {
      return Optional.empty();
    }
    int at = random.nextInt(words.size());
    String word = words.get(at);
    String cased = random.nextBoolean() ? word : word.toUpperCase(Locale.ROOT);
    String field = random.nextInt(3) == 0 ? "message:" : "";
    return Optional.of(
        switch (random.nextInt(4)) {
          case 0 -> field + escape(cased);
          case 1 -> {
            int end = Math.min(words.size(), at + random.nextInt(2, 4));
            yield field + quote(String.join(" ", words.subList(at, end)));
          }
          case 2 -> field + escape(cased.substring(0, random.nextInt(cased.length() + 1))) + "*";
          default -> field + "*" + escape(cased.substring(random.nextInt(cased.length()))) + "*";
        });
  }

  private Optional<String> valueGroup(AccessEvent e) {
    Field f = pick(KEYWORDS);
    Optional<String> mine = one(e, f);
    if (mine.isEmpty()) {
      return Optional.empty();
    }
    List<String> values = new ArrayList<>();
    values.add(literal(mine.get()));
    for (int i = random.nextInt(1, 4); i > 0; i--) {
      one(event(), f).ifPresent(v -> values.add(random.nextInt(3) == 0 ? pattern(v) : literal(v)));
    }
    String body =
        random.nextInt(4) == 0 && values.size() > 1
            ? values.getFirst() + " and not " + values.get(1)
            : String.join(pick(List.of(" or ", " OR ")), values);
    return Optional.of(f.ecsName() + ":(" + body + ")");
  }

  private String valuedField(AccessEvent e) {
    List<String> names = new ArrayList<>();
    for (Field f : Field.values()) {
      if (f != Field.LABELS && f != Field.MESSAGE) {
        names.add(f.ecsName());
      }
    }
    e.labels().keySet().forEach(k -> names.add(escapeName("labels." + k)));
    return pick(names);
  }

  /** A value of {@code e}'s field (a random role for {@code user.roles}). */
  private Optional<String> one(AccessEvent e, Field f) {
    return e.get(f)
        .map(
            v ->
                v instanceof List<?> list
                    ? list.get(random.nextInt(list.size())).toString()
                    : v.toString());
  }

  /**
   * A pattern that {@code value} matches: a prefix, suffix or middle with stars, or a {@code ?}.
   */
  private String pattern(String value) {
    int cp = value.codePointCount(0, value.length());
    int a = value.offsetByCodePoints(0, random.nextInt(cp + 1));
    int b = value.offsetByCodePoints(0, random.nextInt(cp + 1));
    int from = Math.min(a, b);
    int to = Math.max(a, b);
    return switch (random.nextInt(4)) {
      case 0 -> escape(value.substring(0, from)) + "*";
      case 1 -> "*" + escape(value.substring(from));
      case 2 -> "*" + escape(value.substring(from, to)) + "*";
      default -> {
        int one = value.offsetByCodePoints(0, random.nextInt(cp));
        int after = value.offsetByCodePoints(one, 1);
        yield escape(value.substring(0, one)) + "?" + escape(value.substring(after));
      }
    };
  }

  /**
   * {@code value} written to be read back exactly: quoted, or with its special characters escaped.
   */
  private String literal(String value) {
    return random.nextBoolean() ? quote(value) : escapeWord(value);
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * An unquoted word for {@code value}: a keyword escapes its first character; text that reads as a
   * CIDR range must be quoted to be a keyword value.
   */
  private static String escapeWord(String value) {
    int slash = value.indexOf('/');
    if (slash > 0 && IpAddress.tryParse(value.substring(0, slash)).isPresent()) {
      return quote(value);
    }
    boolean keyword =
        value.equalsIgnoreCase("and")
            || value.equalsIgnoreCase("or")
            || value.equalsIgnoreCase("not");
    return keyword ? "\\" + escape(value) : escape(value);
  }

  private static String escape(String value) {
    StringBuilder out = new StringBuilder();
    value
        .codePoints()
        .forEach(
            cp -> {
              if (Character.isWhitespace(cp)
                  || Character.isSpaceChar(cp)
                  || "()\"|\\*?:<>=,".indexOf(cp) >= 0) {
                out.append('\\');
              }
              out.appendCodePoint(cp);
            });
    return out.toString();
  }

  private static String escapeName(String name) {
    return escape(name);
  }

  private AccessEvent event() {
    return events.get(random.nextInt(events.size())).event();
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }
}
