package dev.trailwatch.search.timeline;

import dev.trailwatch.event.IpAddress;
import dev.trailwatch.search.index.IndexFields;
import dev.trailwatch.search.query.IndexColumns;
import dev.trailwatch.search.query.LuceneQueries;
import dev.trailwatch.search.query.Value;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSortField;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;

/**
 * Reconstructs what happened around an entity, over the search index, in two steps:
 *
 * <ol>
 *   <li>the entity's own events in the window: those that name it in one of its {@link Entity.Role
 *       roles} ({@link Entity.Kind#fields});
 *   <li>from those, the source addresses ({@code source.ip}) and sessions ({@code session.id}) they
 *       carry, at most {@link #MAX_PIVOTS} of each; then every event in the window that is the
 *       entity's own or has one of those addresses or sessions. One step only: the addresses of the
 *       sessions' events are not followed further.
 * </ol>
 *
 * The events come in time order, ties by sequence number, each with its reasons ({@link
 * TimelineResult.Hit#reasons}). Reads doc values only, never the ledger: the caller reads the
 * events by their sequence numbers. Thread-safe if the searcher is.
 */
public final class Timeline {
  /** The most addresses, and the most sessions, a timeline follows. */
  public static final int MAX_PIVOTS = 1_000;

  private static final Sort TIME_ORDER =
      new Sort(
          new SortedNumericSortField(IndexFields.TIMESTAMP, SortField.Type.LONG),
          new SortedNumericSortField(IndexFields.SEQ, SortField.Type.LONG));

  private final IndexSearcher searcher;

  public Timeline(IndexSearcher searcher) {
    this.searcher = searcher;
  }

  /** The timeline that {@code query} asks for. */
  public TimelineResult run(TimelineQuery query) throws IOException {
    Entity entity = query.entity();
    Query window = LuceneQueries.timeRange(query.range());
    Query own = involving(entity);

    IndexColumns ownEvents =
        new IndexColumns(
            searcher.getIndexReader(), IndexColumns.matching(searcher, both(window, own)));
    Set<IpAddress> addresses = new TreeSet<>();
    for (List<Value> values : ownEvents.values(IndexFields.SOURCE_IP)) {
      values.forEach(v -> addresses.add(((Value.Ip) v).address()));
    }
    entity.address().ifPresent(addresses::remove); // its own events already
    Set<String> sessions = new TreeSet<>();
    for (List<Value> values : ownEvents.values(IndexFields.SESSION_ID)) {
      values.forEach(v -> sessions.add(((Value.Text) v).text()));
    }
    boolean pivotsTruncated = addresses.size() > MAX_PIVOTS || sessions.size() > MAX_PIVOTS;
    List<IpAddress> followedAddresses = first(addresses);
    List<String> followedSessions = first(sessions);

    Query all =
        new BooleanQuery.Builder()
            .add(own, Occur.SHOULD)
            .add(LuceneQueries.ipIn(IndexFields.SOURCE_IP, followedAddresses), Occur.SHOULD)
            .add(LuceneQueries.keywordIn(IndexFields.SESSION_ID, followedSessions), Occur.SHOULD)
            .setMinimumNumberShouldMatch(1)
            .build();
    TopFieldDocs top =
        searcher.search(
            both(window, all),
            new TopFieldCollectorManager(TIME_ORDER, query.limit(), null, Integer.MAX_VALUE));
    List<TimelineResult.Hit> hits =
        hits(top.scoreDocs, entity, Set.copyOf(followedAddresses), Set.copyOf(followedSessions));
    return new TimelineResult(
        hits, top.totalHits.value(), followedAddresses, followedSessions, pivotsTruncated);
  }

  /** The events that involve {@code entity} in any of its roles. */
  static Query involving(Entity entity) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (Entity.Role role : Entity.Role.values()) {
      for (String field : entity.kind().fields(role)) {
        b.add(
            entity.kind().ip()
                ? LuceneQueries.ipIn(field, List.of(entity.address().orElseThrow()))
                : LuceneQueries.keywordIn(field, List.of(entity.value())),
            Occur.SHOULD);
      }
    }
    return b.setMinimumNumberShouldMatch(1).build();
  }

  private static Query both(Query a, Query b) {
    return new BooleanQuery.Builder().add(a, Occur.FILTER).add(b, Occur.FILTER).build();
  }

  private static <T> List<T> first(Collection<T> sorted) {
    return sorted.stream().limit(MAX_PIVOTS).toList();
  }

  /** The hits in the order of {@code top}, with their reasons read from doc values. */
  private List<TimelineResult.Hit> hits(
      ScoreDoc[] top, Entity entity, Set<IpAddress> addresses, Set<String> sessions)
      throws IOException {
    Integer[] byDoc = new Integer[top.length];
    Arrays.setAll(byDoc, i -> i);
    Arrays.sort(byDoc, Comparator.comparingInt(i -> top[i].doc));
    int[] docs = new int[top.length];
    for (int k = 0; k < top.length; k++) {
      docs[k] = top[byDoc[k]].doc;
    }
    IndexColumns columns = new IndexColumns(searcher.getIndexReader(), docs);
    long[] seqs = columns.longs(IndexFields.SEQ);
    long[] nanos = columns.longs(IndexFields.TIMESTAMP);
    Value own =
        entity.kind().ip()
            ? new Value.Ip(entity.address().orElseThrow())
            : new Value.Text(entity.value());
    List<List<String>> reasons = new ArrayList<>(top.length);
    for (int k = 0; k < top.length; k++) {
      reasons.add(new ArrayList<>(2));
    }
    for (Entity.Role role : Entity.Role.values()) {
      boolean[] found = new boolean[top.length];
      for (String field : entity.kind().fields(role)) {
        List<List<Value>> values = columns.values(field);
        for (int k = 0; k < top.length; k++) {
          found[k] |= values.get(k).contains(own);
        }
      }
      for (int k = 0; k < top.length; k++) {
        if (found[k]) {
          reasons.get(k).add(role.reason());
        }
      }
    }
    List<List<Value>> ips = columns.values(IndexFields.SOURCE_IP);
    List<List<Value>> ids = columns.values(IndexFields.SESSION_ID);
    for (int k = 0; k < top.length; k++) {
      List<String> why = reasons.get(k);
      if (!why.isEmpty()) {
        continue; // the entity's own event: how it is involved says enough
      }
      for (Value v : ips.get(k)) {
        if (addresses.contains(((Value.Ip) v).address())) {
          why.add("same_ip:" + v);
        }
      }
      for (Value v : ids.get(k)) {
        if (sessions.contains(((Value.Text) v).text())) {
          why.add("same_session:" + v);
        }
      }
    }
    TimelineResult.Hit[] out = new TimelineResult.Hit[top.length];
    for (int k = 0; k < top.length; k++) {
      out[byDoc[k]] =
          new TimelineResult.Hit(seqs[k], IndexColumns.instant(nanos[k]), reasons.get(k));
    }
    return List.of(out);
  }
}
