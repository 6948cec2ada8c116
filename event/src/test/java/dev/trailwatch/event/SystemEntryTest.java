package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemEntryTest {
  static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void roundTripsEveryKind() {
    List<SystemEntry> entries =
        List.of(
            SystemEntry.search(
                "alice", AT, "user.name:\"bob\" | head 3", AT.minusSeconds(60), AT, 42),
            SystemEntry.export("ci", AT, "", AT.minusSeconds(3600), AT, "csv", 7, false),
            SystemEntry.read("viewer-1", AT, 1234, 1));
    for (SystemEntry e : entries) {
      byte[] json = e.toJson();
      assertThat(SystemEntry.isSystemEntry(json)).isTrue();
      assertThat(SystemEntry.decode(json)).contains(e);
    }
  }

  @Test
  void theStoredFormIsOneObjectUnderOneKey() {
    String json =
        new String(
            SystemEntry.export("ci", AT, "a:b", AT.minusSeconds(1), AT, "ndjson", 3, true).toJson(),
            StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"trailwatch.system\":{\"kind\":\"export\",\"actor\":\"ci\",\"at\":"
                + "\"2026-11-22T10:00:00.000000000Z\",\"query\":\"a:b\",\"from\":"
                + "\"2026-11-22T09:59:59.000000000Z\",\"to\":\"2026-11-22T10:00:00.000000000Z\","
                + "\"format\":\"ndjson\",\"results\":3,\"complete\":true}}");
  }

  @Test
  void anEventIsNotASystemEntryAndASystemEntryIsNotAnEvent() {
    Decoded decoded =
        EventJson.decode(
            "{\"trailwatch.system\":{\"kind\":\"search\"},\"@timestamp\":\"2026-11-22T10:00:00Z\","
                + "\"event\":{\"action\":\"login\",\"outcome\":\"success\"},"
                + "\"user\":{\"name\":\"x\"}}");
    AccessEvent event = ((Decoded.Valid) decoded).event(); // the unknown key became labels
    byte[] canonical = EventJson.canonical(event);
    assertThat(SystemEntry.isSystemEntry(canonical)).isFalse();
    assertThat(SystemEntry.decode(canonical)).isEmpty();
    byte[] system = SystemEntry.read("a", AT, 1, 1).toJson();
    assertThatThrownBy(() -> EventJson.decodeCanonical(system))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDamagedSystemEntryIsRefusedWithAReason() {
    for (String bad :
        List.of(
            "{\"trailwatch.system\":1}",
            "{\"trailwatch.system\":{\"kind\":\"search\"}}",
            "{\"trailwatch.system\":{\"kind\":\"search\",\"actor\":\"a\",\"at\":\"x\","
                + "\"query\":\"\",\"results\":1}}",
            "{\"trailwatch.system\":{\"kind\":\"read\",\"actor\":\"a\",\"at\":"
                + "\"2026-11-22T10:00:00Z\",\"query\":\"\",\"results\":1},\"more\":1}")) {
      assertThatThrownBy(() -> SystemEntry.decode(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
