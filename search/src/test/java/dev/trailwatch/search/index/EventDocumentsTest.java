package dev.trailwatch.search.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Field;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The document mapping as the query side uses it: every field of every generated event is found by
 * the Lucene query for its type, and counts over the corpus equal a plain filter over the events.
 */
class EventDocumentsTest {
  static final long SEED = Long.getLong("tests.seed", new SplittableRandom().nextLong());
  static final int EVENTS = 3000;

  static List<AccessEvent> events = new ArrayList<>();
  static Directory directory;
  static DirectoryReader reader;
  static IndexSearcher searcher;

  @BeforeAll
  static void index() throws IOException {
    System.out.println("EventDocumentsTest seed: " + SEED + " (replay: -Dtests.seed=" + SEED + ")");
    EventGenerator generator =
        new EventGenerator(
            SEED,
            GeneratorConfig.defaults()
                .withEvents(EVENTS)
                .withUsers(200)
                .withAddresses(500)
                .withDuration(Duration.ofDays(2)));
    directory = new ByteBuffersDirectory();
    EventDocuments documents = new EventDocuments();
    try (Analyzer analyzer = IndexFields.analyzer();
        IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
      for (int seq = 0; seq < EVENTS; seq++) {
        AccessEvent e = generator.next();
        events.add(e);
        writer.addDocument(documents.fields(seq, -1, e)); // reused fields, as the indexer does
      }
      writer.commit();
    }
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
  }

  @AfterAll
  static void close() throws IOException {
    reader.close();
    directory.close();
  }

  @Test
  void everyFieldOfEveryEventIsFoundByTheQueryForItsType() throws IOException {
    try (Analyzer analyzer = IndexFields.analyzer()) {
      for (int seq = 0; seq < EVENTS; seq++) {
        AccessEvent e = events.get(seq);
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        all.add(LongField.newExactQuery(IndexFields.SEQ, seq), Occur.FILTER);
        for (Field f : Field.values()) {
          Object value = e.get(f).orElse(null);
          if (value == null) {
            if (f != Field.LABELS) {
              all.add(new FieldExistsQuery(f.ecsName()), Occur.MUST_NOT);
            }
            continue;
          }
          for (Query q : queriesFor(f, value, analyzer)) {
            all.add(q, Occur.FILTER);
          }
        }
        assertThat(searcher.count(all.build()))
            .as("seed %d, entry %d: %s", SEED, seq, e)
            .isEqualTo(1);
      }
    }
  }

  /** The queries the query side would build for one field's value, existence included. */
  static List<Query> queriesFor(Field f, Object value, Analyzer analyzer) throws IOException {
    String name = f.ecsName();
    List<Query> out = new ArrayList<>();
    if (f != Field.LABELS) {
      out.add(new FieldExistsQuery(name));
    }
    switch (f.type()) {
      case INSTANT -> {
        long nanos = IndexFields.epochNanos((Instant) value);
        out.add(LongField.newRangeQuery(name, nanos - 1000, nanos + 1000));
        out.add(LongField.newExactQuery(name, nanos));
      }
      case KEYWORD -> {
        out.add(new TermQuery(new Term(name, (String) value)));
        out.add(KeywordField.newExactQuery(name, (String) value));
      }
      case OUTCOME -> out.add(new TermQuery(new Term(name, ((Outcome) value).ecsValue())));
      case KEYWORD_LIST -> {
        for (Object role : (List<?>) value) {
          out.add(new TermQuery(new Term(name, (String) role)));
        }
      }
      case IP -> {
        InetAddress a = ((IpAddress) value).toInetAddress();
        out.add(InetAddressPoint.newExactQuery(name, a));
        out.add(InetAddressPoint.newPrefixQuery(name, a, ((IpAddress) value).isIpv4() ? 24 : 48));
        out.add(
            SortedSetDocValuesField.newSlowExactQuery(
                name, new BytesRef(InetAddressPoint.encode(a))));
      }
      case INT -> out.add(IntField.newExactQuery(name, (Integer) value));
      case TEXT -> {
        List<String> words = words(analyzer, (String) value);
        for (String w : words) {
          out.add(new TermQuery(new Term(name, w)));
        }
        if (words.size() >= 2) {
          out.add(new PhraseQuery(name, words.get(0), words.get(1)));
        }
      }
      case KEYWORD_MAP -> {
        for (Map.Entry<?, ?> label : ((Map<?, ?>) value).entrySet()) {
          String field = IndexFields.label((String) label.getKey());
          out.add(new TermQuery(new Term(field, (String) label.getValue())));
          out.add(new FieldExistsQuery(field));
        }
      }
    }
    return out;
  }

  static List<String> words(Analyzer analyzer, String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(IndexFields.MESSAGE, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    }
    return out;
  }

  @Test
  void countsEqualAPlainFilterOverTheEvents() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED);
    AccessEvent some = events.get(random.nextInt(EVENTS));
    Instant from = events.get(random.nextInt(EVENTS)).timestamp();
    Instant to = from.plus(Duration.ofHours(6));
    InetAddress ten = InetAddress.getByAddress(new byte[] {10, 0, 0, 0});
    checkCount(
        new TermQuery(new Term(IndexFields.EVENT_OUTCOME, "failure")),
        e -> e.event().outcome() == Outcome.FAILURE);
    checkCount(
        new TermQuery(new Term(IndexFields.USER_NAME, some.user().name().orElse("nobody"))),
        e -> e.user().name().equals(some.user().name()) && some.user().name().isPresent());
    checkCount(
        LongField.newRangeQuery(
            IndexFields.TIMESTAMP, IndexFields.epochNanos(from), IndexFields.epochNanos(to)),
        e -> !e.timestamp().isBefore(from) && !e.timestamp().isAfter(to));
    checkCount(
        InetAddressPoint.newPrefixQuery(IndexFields.DESTINATION_IP, ten, 8),
        e -> e.destination().ip().map(ip -> ip.toString().startsWith("10.")).orElse(false));
    for (boolean v4 : new boolean[] {true, false}) {
      IpAddress ip =
          events.stream()
              .flatMap(e -> e.source().ip().stream())
              .filter(a -> a.isIpv4() == v4)
              .skip(random.nextInt(50))
              .findFirst()
              .orElseThrow();
      int bytes = v4 ? 2 : 4;
      checkCount(
          InetAddressPoint.newPrefixQuery(IndexFields.SOURCE_IP, ip.toInetAddress(), bytes * 8),
          e ->
              e.source()
                  .ip()
                  .map(
                      a ->
                          a.isIpv4() == v4
                              && Arrays.equals(a.bytes(), 0, bytes, ip.bytes(), 0, bytes))
                  .orElse(false));
    }
    checkCount(
        IntField.newRangeQuery(IndexFields.HTTP_RESPONSE_STATUS_CODE, 500, 599),
        e -> e.web().statusCode().orElse(0) >= 500);
    checkCount(
        new TermQuery(new Term(IndexFields.label("ssh.method"), "password")),
        e -> "password".equals(e.labels().get("ssh.method")));
    checkCount(new FieldExistsQuery(IndexFields.USER_ROLES), e -> !e.user().roles().isEmpty());
    try (Analyzer analyzer = IndexFields.analyzer()) {
      checkCount(
          new TermQuery(new Term(IndexFields.MESSAGE, "accepted")),
          e -> words(analyzer, e.message().orElse("")).contains("accepted"));
    }
    assertThat(reader.numDocs()).isEqualTo(EVENTS);
  }

  /** A predicate that may read the analyzer. */
  interface Check {
    boolean test(AccessEvent e) throws IOException;
  }

  private void checkCount(Query q, Check expected) throws IOException {
    long want = 0;
    for (AccessEvent e : events) {
      want += expected.test(e) ? 1 : 0;
    }
    assertThat(searcher.count(q)).as("seed %d: %s", SEED, q).isEqualTo((int) want);
  }

  @Test
  void everyHitLinksBackToItsLedgerEntryBySeq() throws IOException {
    for (int seq : new int[] {0, 1, EVENTS / 2, EVENTS - 1}) {
      AccessEvent e = events.get(seq);
      Query q =
          LongField.newExactQuery(IndexFields.TIMESTAMP, IndexFields.epochNanos(e.timestamp()));
      List<Long> seqs = new ArrayList<>();
      for (ScoreDoc hit : searcher.search(q, 10).scoreDocs) {
        seqs.add(
            searcher
                .storedFields()
                .document(hit.doc)
                .getField(IndexFields.SEQ)
                .numericValue()
                .longValue());
      }
      assertThat(seqs).as("seed %d", SEED).contains((long) seq);
    }
  }

  @Test
  void onlySeqIsStored() throws IOException {
    assertThat(searcher.storedFields().document(0).getFields())
        .extracting(f -> f.name())
        .containsExactly(IndexFields.SEQ);
  }

  @Test
  void documentHoldsTheSameFieldsAsTheReusedOnes() {
    AccessEvent e = events.get(7);
    List<String> reused =
        new EventDocuments().fields(7, 5, e).stream().map(f -> f.name() + "=" + f).toList();
    List<String> fresh =
        EventDocuments.document(7, 5, e).getFields().stream().map(f -> f.name() + "=" + f).toList();
    assertThat(fresh).isEqualTo(reused);
  }

  @Test
  void longKeywordsAreIndexedAsTheirLongestWholeCharacterPrefix() throws IOException {
    // 1 + 11,000 x 3 bytes: the limit of 32,766 falls inside the 10,922nd euro sign.
    String huge = "a" + "€".repeat(11_000);
    AccessEvent e =
        AccessEvent.builder()
            .timestamp(Instant.parse("2026-11-22T10:00:00Z"))
            .action("login")
            .outcome(Outcome.SUCCESS)
            .userName("alice")
            .userAgent(huge)
            .label("note", huge + "tail")
            .build();
    BytesRef term = IndexFields.keywordTerm(huge);
    assertThat(term.length).isEqualTo(32_764);
    assertThat(new String(term.bytes, term.offset, term.length, StandardCharsets.UTF_8))
        .isEqualTo("a" + "€".repeat(10_921));
    try (Directory dir = new ByteBuffersDirectory();
        Analyzer analyzer = IndexFields.analyzer()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
        w.addDocument(new EventDocuments().fields(0, -1, e));
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        IndexSearcher s = new IndexSearcher(r);
        assertThat(s.count(new TermQuery(new Term(IndexFields.USER_AGENT_ORIGINAL, term))))
            .isEqualTo(1);
        assertThat(
                s.count(
                    new TermQuery(
                        new Term(IndexFields.label("note"), IndexFields.keywordTerm(huge + "x")))))
            .as("values sharing the indexed prefix match alike")
            .isEqualTo(1);
      }
    }
  }

  @Test
  void emptyAndWordlessMessagesStillExist() throws IOException {
    try (Directory dir = new ByteBuffersDirectory();
        Analyzer analyzer = IndexFields.analyzer()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
        EventDocuments docs = new EventDocuments();
        w.addDocument(docs.fields(0, -1, event("")));
        w.addDocument(docs.fields(1, -1, event("--- ...")));
        w.addDocument(docs.fields(2, -1, event(null)));
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        assertThat(new IndexSearcher(r).count(new FieldExistsQuery(IndexFields.MESSAGE)))
            .isEqualTo(2);
      }
    }
  }

  private static AccessEvent event(String message) {
    return AccessEvent.builder()
        .timestamp(Instant.parse("2026-11-22T10:00:00Z"))
        .action("login")
        .outcome(Outcome.SUCCESS)
        .userName("alice")
        .message(message)
        .build();
  }

  @Test
  void timestampsBeyondWhatNanosecondsCanHoldAreClampedAlike() {
    assertThat(IndexFields.epochNanos(Instant.parse("1970-01-01T00:00:01.5Z")))
        .isEqualTo(1_500_000_000L);
    assertThat(IndexFields.epochNanos(Instant.parse("1969-12-31T23:59:59.5Z")))
        .isEqualTo(-500_000_000L);
    assertThat(IndexFields.epochNanos(Instant.parse("9999-12-31T23:59:59Z")))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(IndexFields.epochNanos(Instant.parse("0001-01-01T00:00:00Z")))
        .isEqualTo(Long.MIN_VALUE);
    Instant lowest = Instant.ofEpochSecond(0, Long.MIN_VALUE);
    assertThat(IndexFields.epochNanos(lowest)).isEqualTo(Long.MIN_VALUE);
    assertThat(IndexFields.epochNanos(lowest.plusNanos(1))).isEqualTo(Long.MIN_VALUE + 1);
    Instant highest = Instant.ofEpochSecond(0, Long.MAX_VALUE);
    assertThat(IndexFields.epochNanos(highest)).isEqualTo(Long.MAX_VALUE);
  }
}
