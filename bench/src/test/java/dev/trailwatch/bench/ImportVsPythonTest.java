package dev.trailwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.Decoded;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.event.sample.EventGenerator;
import dev.trailwatch.event.sample.GeneratorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportVsPythonTest {
  @TempDir Path tmp;

  /** The general-path input holds the same events, none of them in canonical form. */
  @Test
  void notCanonicalCopyHoldsTheSameEvents() throws Exception {
    Path file = tmp.resolve("e.ndjson");
    new EventGenerator(3, GeneratorConfig.defaults().withEvents(500)).writeNdjson(file, 500);
    Path copy = tmp.resolve("copy.ndjson");
    ImportVsPython.writeNotCanonical(file, copy);
    List<String> in = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> out = Files.readAllLines(copy, StandardCharsets.UTF_8);
    assertThat(out).hasSameSizeAs(in);
    for (int i = 0; i < in.size(); i++) {
      byte[] original = in.get(i).getBytes(StandardCharsets.UTF_8);
      byte[] moved = out.get(i).getBytes(StandardCharsets.UTF_8);
      assertThat(EventJson.isCanonical(original, 0, original.length)).isTrue();
      assertThat(EventJson.isCanonical(moved, 0, moved.length)).isFalse();
      Decoded decoded = EventJson.decode(moved);
      assertThat(decoded).isInstanceOf(Decoded.Valid.class);
      assertThat(EventJson.canonical(((Decoded.Valid) decoded).event())).isEqualTo(original);
    }
  }
}
