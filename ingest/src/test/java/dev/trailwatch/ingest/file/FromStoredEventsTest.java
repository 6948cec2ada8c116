package dev.trailwatch.ingest.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FromStoredEventsTest {
  private static final String PATH = "/var/log/auth.log";

  private static AccessEvent event(Map<String, String> labels) {
    return AccessEvent.unparsed("x", "test", Instant.EPOCH).toBuilder().labels(labels).build();
  }

  private static AccessEvent line(String path, String dev, String ino, long start, long next) {
    return event(
        Map.of(
            FileTailer.PATH_LABEL, path,
            FileTailer.DEVICE_LABEL, dev,
            FileTailer.INODE_LABEL, ino,
            FileTailer.OFFSET_LABEL, Long.toString(start),
            FileTailer.NEXT_OFFSET_LABEL, Long.toString(next)));
  }

  @Test
  void noEventOfThePathGivesNothing() {
    assertThat(FileTailer.fromStoredEvents(List.of(), PATH)).isEmpty();
    assertThat(
            FileTailer.fromStoredEvents(
                List.of(line("/var/log/syslog", "1", "5", 0, 10), event(Map.of())), PATH))
        .isEmpty();
  }

  @Test
  void theLastFileOfThePathAndItsLargestNextOffset() {
    List<AccessEvent> stored =
        List.of(
            line(PATH, "2049", "100", 500, 560), // the rotated file, finished
            line(PATH, "2049", "100", 560, 900),
            line("/var/log/syslog", "2049", "7", 0, 99_999), // another input
            line(PATH, "2049", "200", 0, 40), // the new file
            line(PATH, "2049", "200", 40, 75),
            line(PATH, "2049", "200", 40, 75)); // a second event of the same line
    assertThat(FileTailer.fromStoredEvents(stored, PATH))
        .contains(new Position(PATH, new FileId("2049", "200"), 75, Position.NO_SEQ));
  }

  @Test
  void aFileKeyWhereThereIsNoInode() {
    AccessEvent e =
        event(
            Map.of(
                FileTailer.PATH_LABEL, PATH,
                FileTailer.FILE_ID_LABEL, "key-1",
                FileTailer.NEXT_OFFSET_LABEL, "12"));
    assertThat(FileTailer.fromStoredEvents(List.of(e), PATH))
        .contains(new Position(PATH, new FileId("", "key-1"), 12, Position.NO_SEQ));
  }

  @Test
  void eventsWithoutUsableLabelsAreIgnored() {
    AccessEvent noOffset =
        event(
            Map.of(
                FileTailer.PATH_LABEL, PATH,
                FileTailer.DEVICE_LABEL, "1",
                FileTailer.INODE_LABEL, "9"));
    AccessEvent badOffset =
        event(
            Map.of(
                FileTailer.PATH_LABEL, PATH,
                FileTailer.DEVICE_LABEL, "1",
                FileTailer.INODE_LABEL, "9",
                FileTailer.NEXT_OFFSET_LABEL, "12x"));
    assertThat(
            FileTailer.fromStoredEvents(
                List.of(line(PATH, "1", "8", 0, 5), noOffset, badOffset), PATH))
        .contains(new Position(PATH, new FileId("1", "8"), 5, Position.NO_SEQ));
  }
}
