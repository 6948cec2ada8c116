package dev.trailwatch.search.query;

import dev.trailwatch.event.IpAddress;
import dev.trailwatch.search.index.IndexFields;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Collection;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;

/**
 * Translates a {@link Filter} into a Lucene query over the search index, whose documents {@link
 * dev.trailwatch.search.index.EventDocuments} writes and whose names, keyword terms and timestamps
 * {@link IndexFields} defines for both sides. In short (field names are ECS names):
 *
 * <ul>
 *   <li>{@code @timestamp}: {@code LongField} of epoch nanoseconds; {@code _seq}: {@code
 *       LongField}, stored, the ledger sequence number;
 *   <li>keywords, {@code event.outcome} (lower case), {@code user.roles} (one field per role) and
 *       {@code labels.<key>}: {@code KeywordField};
 *   <li>{@code source.port}, {@code destination.port}, {@code http.response.status_code}: {@code
 *       IntField};
 *   <li>{@code source.ip}, {@code destination.ip}: {@code InetAddressPoint} plus a {@code
 *       SortedSetDocValuesField} of the encoded address;
 *   <li>{@code message}: {@code TextField} analysed by {@link MessageText#ANALYZER}.
 * </ul>
 *
 * Every field has doc values or norms, so {@link FieldExistsQuery} answers {@code field:*}. Scores
 * are never used: every clause filters. Stateless and thread-safe.
 */
public final class LuceneQueries {
  /** The index field of {@code @timestamp}. */
  static final String TIMESTAMP = IndexFields.TIMESTAMP;

  /** The index field of the ledger sequence number. */
  static final String SEQ = IndexFields.SEQ;

  private static final String MESSAGE = IndexFields.MESSAGE;

  private LuceneQueries() {}

  /** The events that match {@code filter} within {@code range}. */
  public static Query of(Filter filter, TimeRange range) {
    return new BooleanQuery.Builder()
        .add(timeRange(range), Occur.FILTER)
        .add(filter(filter), Occur.FILTER)
        .build();
  }

  /** The events within {@code range}: {@code from <= @timestamp < to}. */
  public static Query timeRange(TimeRange range) {
    if (!range.from().isBefore(range.to())) {
      return new MatchNoDocsQuery("empty time range");
    }
    return LongField.newRangeQuery(TIMESTAMP, nanos(range.from()), nanos(range.to().minusNanos(1)));
  }

  /** The events that match {@code filter}. */
  public static Query filter(Filter filter) {
    return switch (filter) {
      case Filter.All a -> MatchAllDocsQuery.INSTANCE;
      case Filter.And and -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        boolean positive = false;
        for (Filter clause : and.clauses()) {
          if (clause instanceof Filter.Not not) {
            b.add(filter(not.clause()), Occur.MUST_NOT);
          } else {
            b.add(filter(clause), Occur.FILTER);
            positive = true;
          }
        }
        if (!positive) {
          b.add(MatchAllDocsQuery.INSTANCE, Occur.FILTER);
        }
        yield b.build();
      }
      case Filter.Or or -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        or.clauses().forEach(c -> b.add(filter(c), Occur.SHOULD));
        yield b.setMinimumNumberShouldMatch(1).build();
      }
      case Filter.Not not ->
          new BooleanQuery.Builder()
              .add(MatchAllDocsQuery.INSTANCE, Occur.FILTER)
              .add(filter(not.clause()), Occur.MUST_NOT)
              .build();
      case Filter.Exists x -> new FieldExistsQuery(x.field());
      case Filter.KeywordEquals k ->
          KeywordField.newExactQuery(k.field(), IndexFields.keywordTerm(k.value()));
      case Filter.KeywordMatches k ->
          new WildcardQuery(new Term(k.field(), k.pattern().toLucene()));
      case Filter.KeywordCompare k -> keywordRange(k);
      case Filter.IntRange r ->
          r.min() > r.max()
              ? new MatchNoDocsQuery("empty range")
              : IntField.newRangeQuery(r.field(), r.min(), r.max());
      case Filter.TimestampRange r ->
          r.min().isAfter(r.max())
              ? new MatchNoDocsQuery("empty range")
              : LongField.newRangeQuery(TIMESTAMP, nanos(r.min()), nanos(r.max()));
      case Filter.IpPrefix p ->
          InetAddressPoint.newPrefixQuery(p.field(), p.network().toInetAddress(), p.prefixLength());
      case Filter.TextPhrase t ->
          t.words().size() == 1
              ? new TermQuery(new Term(MESSAGE, t.words().getFirst()))
              : new PhraseQuery(MESSAGE, t.words().toArray(String[]::new));
      case Filter.TextMatches t -> new WildcardQuery(new Term(MESSAGE, t.pattern().toLucene()));
    };
  }

  /** The events whose keyword {@code field} has one of {@code values}. */
  public static Query keywordIn(String field, Collection<String> values) {
    if (values.isEmpty()) {
      return new MatchNoDocsQuery("no values");
    }
    return KeywordField.newSetQuery(field, values.stream().map(IndexFields::keywordTerm).toList());
  }

  /** The events whose IP {@code field} is one of {@code addresses}. */
  public static Query ipIn(String field, Collection<IpAddress> addresses) {
    if (addresses.isEmpty()) {
      return new MatchNoDocsQuery("no addresses");
    }
    return InetAddressPoint.newSetQuery(
        field, addresses.stream().map(IpAddress::toInetAddress).toArray(InetAddress[]::new));
  }

  private static Query keywordRange(Filter.KeywordCompare k) {
    String v = k.value();
    return switch (k.comparison()) {
      case LESS -> TermRangeQuery.newStringRange(k.field(), null, v, true, false);
      case LESS_OR_EQUAL -> TermRangeQuery.newStringRange(k.field(), null, v, true, true);
      case GREATER -> TermRangeQuery.newStringRange(k.field(), v, null, false, true);
      case GREATER_OR_EQUAL -> TermRangeQuery.newStringRange(k.field(), v, null, true, true);
    };
  }

  private static long nanos(Instant t) {
    return IndexFields.epochNanos(t);
  }
}
