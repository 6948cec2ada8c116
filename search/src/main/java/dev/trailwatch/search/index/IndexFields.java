package dev.trailwatch.search.index;

import dev.trailwatch.event.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.util.BytesRef;

/**
 * The document mapping: the Lucene field names and how each schema field is indexed. The query
 * translator builds its queries against exactly these names and encodings; {@link EventDocuments}
 * writes them. Field names are the ECS names of {@link Field#ecsName()}.
 *
 * <table>
 *   <caption>How each field is indexed</caption>
 *   <tr><th>field</th><th>Lucene fields</th><th>query with</th></tr>
 *   <tr><td>{@code @timestamp}</td><td>{@code LongField}, epoch nanoseconds ({@link #epochNanos})
 *       </td><td>{@code LongField.newRangeQuery}</td></tr>
 *   <tr><td>{@code _seq}</td><td>{@code LongField}, stored: the ledger sequence number, the only
 *       stored value</td><td>{@code LongField.newExactQuery}; read with {@code storedFields()}</td>
 *       </tr>
 *   <tr><td>{@code _offset}</td><td>{@code NumericDocValuesField}: where the entry's record starts
 *       in its ledger segment file, the hint of {@code LedgerReader.read(seq, offset)} (-1 when not
 *       known)</td><td>not queried; read per hit</td></tr>
 *   <tr><td>keywords, {@code event.outcome} ({@code success|failure|unknown}), {@code user.roles}
 *       (one instance per role), {@code labels.KEY}</td><td>{@code KeywordField}: terms and sorted
 *       set doc values ({@link #keywordTerm})</td><td>{@code TermQuery}, {@code
 *       KeywordField.newExactQuery}</td></tr>
 *   <tr><td>{@code source.port}, {@code destination.port}, {@code http.response.status_code}</td>
 *       <td>{@code IntField}</td><td>{@code IntField.newExactQuery}, {@code newRangeQuery}</td>
 *       </tr>
 *   <tr><td>{@code source.ip}, {@code destination.ip}</td><td>{@code InetAddressPoint} and {@code
 *       SortedSetDocValuesField} of {@code InetAddressPoint.encode} (16 bytes; IPv4 as
 *       IPv4-mapped)</td><td>{@code InetAddressPoint.newExactQuery}, {@code newPrefixQuery} for
 *       CIDR</td></tr>
 *   <tr><td>{@code message}</td><td>{@code TextField} analysed by {@link #analyzer()}</td><td>
 *       terms of the same analyzer</td></tr>
 * </table>
 *
 * <p>Every field has doc values or norms, so {@code FieldExistsQuery(name)} answers {@code name:*}
 * for each of them.
 *
 * <p><b>Limits.</b> A keyword value longer than {@link #MAX_KEYWORD_BYTES} UTF-8 bytes (Lucene's
 * term limit) is indexed as its longest prefix of whole characters within the limit; an exact query
 * must encode its value with {@link #keywordTerm} to match it (it then also matches other values
 * with the same 32 KiB prefix). A timestamp outside what epoch nanoseconds in a {@code long} can
 * hold (1677-09-21 to 2262-04-11) is indexed as the nearest end of that range; range bounds must be
 * encoded with {@link #epochNanos} the same way.
 *
 * <p>The index stores {@link #MAPPING_VERSION} in every commit; an index written with another
 * version is rebuilt from the ledger.
 */
public final class IndexFields {
  /** Changes whenever a field's name or encoding changes; an older index is rebuilt. */
  public static final int MAPPING_VERSION = 2;

  /** The ledger sequence number of the entry: stored, and indexed as a point. */
  public static final String SEQ = "_seq";

  /**
   * Where the entry's record starts in its ledger segment file: a doc value only, so that a hit is
   * read from the ledger with one positional read. A hint: the ledger checks it (version 2).
   */
  public static final String OFFSET = "_offset";

  public static final String TIMESTAMP = Field.TIMESTAMP.ecsName();
  public static final String EVENT_ACTION = Field.EVENT_ACTION.ecsName();
  public static final String EVENT_OUTCOME = Field.EVENT_OUTCOME.ecsName();
  public static final String EVENT_CATEGORY = Field.EVENT_CATEGORY.ecsName();
  public static final String EVENT_DATASET = Field.EVENT_DATASET.ecsName();
  public static final String EVENT_ID = Field.EVENT_ID.ecsName();
  public static final String USER_NAME = Field.USER_NAME.ecsName();
  public static final String USER_ID = Field.USER_ID.ecsName();
  public static final String USER_ROLES = Field.USER_ROLES.ecsName();
  public static final String SOURCE_IP = Field.SOURCE_IP.ecsName();
  public static final String SOURCE_PORT = Field.SOURCE_PORT.ecsName();
  public static final String DESTINATION_IP = Field.DESTINATION_IP.ecsName();
  public static final String DESTINATION_PORT = Field.DESTINATION_PORT.ecsName();
  public static final String HOST_NAME = Field.HOST_NAME.ecsName();
  public static final String SERVICE_NAME = Field.SERVICE_NAME.ecsName();
  public static final String URL_PATH = Field.URL_PATH.ecsName();
  public static final String HTTP_REQUEST_METHOD = Field.HTTP_REQUEST_METHOD.ecsName();
  public static final String HTTP_RESPONSE_STATUS_CODE = Field.HTTP_RESPONSE_STATUS_CODE.ecsName();
  public static final String USER_AGENT_ORIGINAL = Field.USER_AGENT_ORIGINAL.ecsName();
  public static final String RESOURCE_TYPE = Field.RESOURCE_TYPE.ecsName();
  public static final String RESOURCE_ID = Field.RESOURCE_ID.ecsName();
  public static final String SESSION_ID = Field.SESSION_ID.ecsName();
  public static final String TRACE_ID = Field.TRACE_ID.ecsName();
  public static final String MESSAGE = Field.MESSAGE.ecsName();
  public static final String TENANT = Field.TENANT.ecsName();

  /** Label {@code k} is the keyword field {@code labels.k}. */
  public static final String LABEL_PREFIX = Field.LABELS.ecsName() + ".";

  /** The longest keyword term, in UTF-8 bytes: Lucene's limit for terms and doc values. */
  public static final int MAX_KEYWORD_BYTES = IndexWriter.MAX_TERM_LENGTH;

  private IndexFields() {}

  /** The field name of label {@code key}. */
  public static String label(String key) {
    return LABEL_PREFIX + key;
  }

  /**
   * The analyzer of {@code message}, for indexing and for queries: Lucene's {@code
   * StandardAnalyzer} (Unicode word breaks, lower case) without stop words, so that a search for
   * "not" or "no" finds them. A new instance each call; an analyzer is thread-safe but must be
   * closed.
   */
  public static Analyzer analyzer() {
    return new StandardAnalyzer(CharArraySet.EMPTY_SET);
  }

  /** The indexed term of keyword {@code value}: its UTF-8 bytes, cut as the class comment says. */
  public static BytesRef keywordTerm(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return new BytesRef(
        utf8,
        0,
        utf8.length > MAX_KEYWORD_BYTES ? utf8Boundary(utf8, MAX_KEYWORD_BYTES) : utf8.length);
  }

  /** The largest length at most {@code limit} that does not cut a UTF-8 sequence. */
  private static int utf8Boundary(byte[] utf8, int limit) {
    int end = limit;
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--; // utf8[end] continues the character that starts before it
    }
    return end;
  }

  /**
   * {@code @timestamp} as indexed: nanoseconds since 1970-01-01T00:00Z, clamped to the range of a
   * {@code long}.
   */
  public static long epochNanos(Instant t) {
    long seconds = t.getEpochSecond();
    int nanos = t.getNano();
    try {
      // As Instant.toEpochMilli does: near the negative end, seconds * 10^9 alone would overflow.
      return seconds < 0 && nanos > 0
          ? Math.addExact(Math.multiplyExact(seconds + 1, 1_000_000_000L), nanos - 1_000_000_000L)
          : Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
    } catch (ArithmeticException outOfRange) {
      return seconds < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
