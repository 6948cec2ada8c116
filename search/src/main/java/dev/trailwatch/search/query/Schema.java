package dev.trailwatch.search.query;

import dev.trailwatch.event.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields a query may name: every field of {@link Field} by its ECS name except the {@code
 * labels} map itself, whose entries are named {@code labels.<key>}. Names are case-sensitive, as in
 * ECS. An unknown name gets a suggestion: the nearest name by edit distance, or the names that end
 * with it ({@code status_code} suggests {@code http.response.status_code}).
 */
final class Schema {
  static final String LABELS_PREFIX = "labels.";

  private Schema() {}

  /** A field a query names, and its kind. */
  record QueryField(String name, FieldKind kind) {}

  /** The field with this name, or empty. */
  static Optional<QueryField> lookup(String name) {
    Optional<Field> field = Field.byName(name);
    if (field.isPresent() && field.get() != Field.LABELS) {
      return Optional.of(new QueryField(name, FieldKind.of(field.get().type())));
    }
    if (name.startsWith(LABELS_PREFIX) && name.length() > LABELS_PREFIX.length()) {
      return Optional.of(new QueryField(name, FieldKind.KEYWORD));
    }
    return Optional.empty();
  }

  /** The field named by a word token, or the error that says why there is none. */
  static QueryField field(Cursor cursor, Token token) throws QueryException {
    String name = Words.unescape(token.text());
    Optional<QueryField> field = lookup(name);
    if (field.isPresent()) {
      return field.get();
    }
    throw cursor.error(token, unknown(name));
  }

  private static String unknown(String name) {
    if (name.equals("labels") || name.equals(LABELS_PREFIX)) {
      return "'labels' holds many fields: name one label, like labels.ssh.method";
    }
    List<String> suggestions = suggestions(name);
    String quoted = "'" + Words.shorten(name) + "'";
    if (suggestions.isEmpty()) {
      return "unknown field "
          + quoted
          + " (docs/QUERY.md lists the fields; to search for text with ':' in it, quote it)";
    }
    return "unknown field "
        + quoted
        + "; did you mean '"
        + String.join("' or '", suggestions)
        + "'?";
  }

  private static List<String> suggestions(String name) {
    List<String> names = new ArrayList<>();
    List<String> endings = new ArrayList<>();
    for (Field f : Field.values()) {
      if (f != Field.LABELS) {
        names.add(f.ecsName());
        if (f.ecsName().endsWith("." + name)) {
          endings.add(f.ecsName());
        }
      }
    }
    return endings.isEmpty() ? Suggestions.nearest(name, names).stream().toList() : endings;
  }
}
