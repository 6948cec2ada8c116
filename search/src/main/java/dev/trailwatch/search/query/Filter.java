package dev.trailwatch.search.query;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.IpAddress;
import java.time.Instant;
import java.util.List;

/**
 * The filter part of a parsed query: which events match. The parser has already checked every field
 * name and every value against the field's type, so each leaf says exactly what it means; a field
 * is named by its ECS name ({@code labels.<key>} for a label). docs/QUERY.md gives the semantics;
 * {@link NaiveEvaluator} and {@link LuceneQueries} implement them.
 *
 * <p>A multi-valued field ({@code user.roles}) matches a leaf when any of its values does. A leaf
 * never matches an event without the field, so {@code not user.name:alice} matches events that have
 * no {@code user.name}.
 */
public sealed interface Filter {

  /** Every event: an empty filter, or {@code *}. */
  record All() implements Filter {}

  /** Events that match every clause. */
  record And(List<Filter> clauses) implements Filter {
    public And {
      clauses = List.copyOf(clauses);
    }
  }

  /** Events that match at least one clause. */
  record Or(List<Filter> clauses) implements Filter {
    public Or {
      clauses = List.copyOf(clauses);
    }
  }

  /** Events that do not match the clause. */
  record Not(Filter clause) implements Filter {
    public Not {
      requireNonNull(clause, "clause");
    }
  }

  /** {@code field:*}: events that have the field (a list or a text, even empty, counts). */
  record Exists(String field) implements Filter {}

  /** {@code field:value} on a keyword: the exact value, case-sensitive. */
  record KeywordEquals(String field, String value) implements Filter {}

  /** {@code field:adm*} on a keyword: a value matches the whole pattern, case-sensitive. */
  record KeywordMatches(String field, Wildcard pattern) implements Filter {}

  /**
   * {@code field >= value} on a keyword: a value compares so to {@code value}, in Unicode code
   * point order (the byte order of UTF-8, as in the index).
   */
  record KeywordCompare(String field, Comparison comparison, String value) implements Filter {}

  /** An integer field with a value in {@code [min, max]}; empty when {@code min > max}. */
  record IntRange(String field, int min, int max) implements Filter {}

  /** {@code @timestamp} in {@code [min, max]}; empty when {@code min} is after {@code max}. */
  record TimestampRange(Instant min, Instant max) implements Filter {}

  /**
   * An IP field with an address in the network; a single address has the full prefix length (32 or
   * 128). IPv4 addresses are IPv4-mapped IPv6 addresses ({@code ::ffff:0:0/96}) to an IPv6 network.
   *
   * @param network the network address, host bits zero
   * @param prefixLength 0-32 for an IPv4 network, 0-128 for IPv6
   */
  record IpPrefix(String field, IpAddress network, int prefixLength) implements Filter {}

  /**
   * {@code message} has these words next to each other in this order (one word: anywhere).
   *
   * @param words as {@link MessageText} cuts them: lower case, at least one
   */
  record TextPhrase(List<String> words) implements Filter {
    public TextPhrase {
      words = List.copyOf(words);
      if (words.isEmpty()) {
        throw new IllegalArgumentException("a phrase has at least one word");
      }
    }
  }

  /** A word of {@code message} matches the pattern, whose literal text is in lower case. */
  record TextMatches(Wildcard pattern) implements Filter {}
}
