package dev.trailwatch.ledger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segment files of a data directory, ordered by base sequence number. Thread-safe: the writer
 * adds segments while readers look them up, as with Kafka's {@code LogSegments}.
 */
final class SegmentSet {
  /** One segment file and the sequence number of its first record. */
  record Segment(long baseSeq, Path file) {}

  private final Path dir;
  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();

  private SegmentSet(Path dir) {
    this.dir = dir;
  }

  /**
   * Lists the segment files in {@code dir}. Files that do not look like segments are returned in
   * {@code strangers} so that callers can report them rather than ignore them silently.
   */
  static SegmentSet scan(Path dir, List<Path> strangers) throws IOException {
    SegmentSet set = new SegmentSet(dir);
    if (!Files.isDirectory(dir)) {
      return set;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        long base = SegmentFormat.baseSeqOf(f.getFileName().toString());
        if (base >= 0) {
          set.segments.put(base, new Segment(base, f));
        } else {
          strangers.add(f);
        }
      }
    }
    return set;
  }

  Path dir() {
    return dir;
  }

  void add(long baseSeq, Path file) {
    segments.put(baseSeq, new Segment(baseSeq, file));
  }

  void remove(long baseSeq) {
    segments.remove(baseSeq);
  }

  List<Segment> all() {
    return new ArrayList<>(segments.values());
  }

  boolean isEmpty() {
    return segments.isEmpty();
  }

  Optional<Segment> last() {
    Map.Entry<Long, Segment> e = segments.lastEntry();
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }

  /** The segment that holds {@code seq}, if any segment starts at or before it. */
  Optional<Segment> floor(long seq) {
    Map.Entry<Long, Segment> e = segments.floorEntry(seq);
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }

  /** The segment after the one starting at {@code baseSeq}. */
  Optional<Segment> after(long baseSeq) {
    Map.Entry<Long, Segment> e = segments.higherEntry(baseSeq);
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }
}
