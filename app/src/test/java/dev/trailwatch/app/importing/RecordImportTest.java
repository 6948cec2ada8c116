package dev.trailwatch.app.importing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import dev.trailwatch.ledger.Ledger;
import dev.trailwatch.ledger.LedgerConfig;
import dev.trailwatch.ledger.LedgerReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks are decoded in parallel and number their own lines; these tests check that what comes out
 * is still in file order and every rejected line is reported with its line number in the file.
 */
class RecordImportTest {
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

  @TempDir Path dir;

  @Test
  void rejectedLinesKeepTheirFileLineNumbersAcrossManyBlocks() throws Exception {
    Random random = new Random(7);
    EventGenerator generator = new EventGenerator(3, GeneratorConfig.defaults());
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    TreeMap<Long, String> bad = new TreeMap<>();
    List<String> stored = new ArrayList<>(); // what the ledger must hold, in order
    long line = 0;
    // Enough lines for several blocks, with blank lines, CRLF endings, bad lines, and one line
    // longer than a whole block in the middle.
    while (file.size() < 3 * RecordImport.BLOCK + RecordImport.BLOCK / 2) {
      line++;
      int kind = random.nextInt(100);
      String text;
      if (kind < 3) {
        text = kind == 0 ? "   " : "";
      } else if (kind < 6) {
        text = "{\"not\": \"an event " + line + "\"}";
        bad.put(line, text);
        stored.add(null);
      } else if (line == 9_000) {
        text = "{\"x\":\"" + "y".repeat(RecordImport.BLOCK + 100) + "\"}";
        bad.put(line, text);
        stored.add(null);
      } else {
        text = new String(EventJson.canonical(generator.next()), StandardCharsets.UTF_8);
        stored.add(text);
      }
      file.writeBytes(text.getBytes(StandardCharsets.UTF_8));
      file.writeBytes((kind % 2 == 0 ? "\r\n" : "\n").getBytes(StandardCharsets.UTF_8));
    }
    assertThat(line).as("the long line is in the file").isGreaterThan(9_000);

    List<RecordImport.Rejected> rejected = new ArrayList<>();
    RecordImport.Summary summary;
    try (Ledger ledger = Ledger.open(LedgerConfig.of(dir.resolve("data")))) {
      RecordImport.Listener listener =
          new RecordImport.Listener() {
            @Override
            public void bytesRead(long total) {}

            @Override
            public void rejected(RecordImport.Rejected r) {
              rejected.add(r);
            }
          };
      summary =
          new RecordImport(ledger, RecordImport.ndjson(CLOCK), listener, 3)
              .run(new ByteArrayInputStream(file.toByteArray()), "events.ndjson");
    }

    assertThat(rejected)
        .extracting(RecordImport.Rejected::line)
        .containsExactlyElementsOf(bad.keySet());
    assertThat(rejected).extracting(RecordImport.Rejected::source).containsOnly("events.ndjson");
    assertThat(summary.unparsed()).isEqualTo(bad.size());
    assertThat(summary.events()).isEqualTo(stored.size());
    try (LedgerReader reader = LedgerReader.open(dir.resolve("data"))) {
      assertThat(reader.size()).isEqualTo(stored.size());
      var it = reader.entries(0);
      for (String expected : stored) {
        assertThat(it.next()).isTrue();
        String actual = new String(it.entry().payload(), StandardCharsets.UTF_8);
        if (expected == null) {
          assertThat(actual).contains("\"dataset\":\"unparsed\"");
        } else {
          assertThat(actual).isEqualTo(expected);
        }
      }
    }
  }
}
