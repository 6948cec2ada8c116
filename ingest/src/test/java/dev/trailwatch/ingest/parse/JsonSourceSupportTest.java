package dev.trailwatch.ingest.parse;

import static dev.trailwatch.ingest.parse.JsonSourceTesting.one;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.parsed;
import static dev.trailwatch.ingest.parse.JsonSourceTesting.unparsedReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.parse.JsonSourceSupport.BadRecord;
import dev.trailwatch.ingest.parse.JsonSourceSupport.Item;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonSourceSupportTest {
  private static final List<RecordParser> PARSERS =
      List.of(
          new K8sAuditParser(),
          new CloudTrailParser(),
          new OktaParser(),
          new MappedJsonParser(
              "app",
              "app",
              java.util.Map.of("t", "@timestamp", "u", "user.name", "a", "event.action")));

  @Test
  void itemsAreSlicesOfTheRecordEvenWithEscapesAndWideCharacters() throws BadRecord {
    String a = "{\"k\":\"caf\\u00e9 \u20ac \uD83D\uDE00\",\"n\":[1,{\"x\":null}]}";
    String b = "{ \"k\" : \"\\\"quoted\\\"\" }";
    List<Item> items =
        JsonSourceSupport.split(" {\"Records\" : [\n" + a + " ,\t" + b + "\n] } ", "Records");
    assertThat(items).extracting(Item::text).containsExactly(a, b);
    assertThat(items)
        .extracting(Item::where)
        .containsExactly("item 1 of Records", "item 2 of Records");
    assertThat(items.get(0).node().get("k").textValue()).isEqualTo("café € \uD83D\uDE00");
    String whole = "  {\"Records\":{\"not\":\"an array\"}}\n";
    assertThat(JsonSourceSupport.split(whole, "Records"))
        .singleElement()
        .satisfies(i -> assertThat(i.text()).isEqualTo(whole));
  }

  @Test
  void memberMatchesExactlyFirstThenIgnoringCase() throws BadRecord {
    JsonNode n =
        JsonSourceSupport.split("{\"eventtype\":\"lower\",\"EventType\":\"mixed\"}", null)
            .get(0)
            .node();
    assertThat(JsonSourceSupport.text(n, "EventType")).isEqualTo("mixed");
    assertThat(JsonSourceSupport.text(n, "eventtype")).isEqualTo("lower");
    assertThat(JsonSourceSupport.text(n, "EVENTTYPE")).isIn("lower", "mixed");
    assertThat(JsonSourceSupport.text(n, "other")).isNull();
  }

  @Test
  void timestampsWithoutOffsetAreInTheGivenZone() {
    assertThat(JsonSourceSupport.instant("2026-01-02 03:04:05", ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(
            JsonSourceSupport.instant("2026-07-02T03:04:05.123456789", ZoneId.of("Europe/Paris")))
        .isEqualTo(Instant.parse("2026-07-02T01:04:05.123456789Z"));
    assertThatThrownBy(() -> JsonSourceSupport.instant("2026-02-30 00:00:00", ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonSourceSupport.instant("2026-01-02 03:04:05.", ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Jackson's nesting limit gives an unparsed event, never an exception. */
  @Test
  void deepNestingIsUnparsed() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    String deepInside =
        "{\"eventName\":\"X\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"userIdentity\":{\"userName\":\"a\"},"
            + "\"requestParameters\":"
            + "{\"a\":".repeat(5_000)
            + "1"
            + "}".repeat(5_000)
            + "}";
    for (RecordParser p : PARSERS) {
      assertThat(unparsedReason(p, deep)).contains("too deeply nested");
      assertThat(unparsedReason(p, deepInside)).contains("too deeply nested");
    }
    // Within the limit, nesting is fine.
    String ok =
        "{\"eventName\":\"X\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"userIdentity\":{\"userName\":\"a\"},"
            + "\"requestParameters\":"
            + "{\"a\":".repeat(200)
            + "1"
            + "}".repeat(200)
            + "}";
    assertThat(parsed(new CloudTrailParser(), ok).message()).hasValue(ok);
  }

  @Test
  void hugeValuesAreKept() {
    String big = "x".repeat(2_000_000);
    String record =
        "{\"eventName\":\"X\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"userIdentity\":{\"userName\":\"a\"},"
            + "\"errorMessage\":\""
            + big
            + "\"}";
    AccessEvent e = parsed(new CloudTrailParser(), record);
    assertThat(e.labels().get("aws.error_message")).hasSize(2_000_000);
    assertThat(unparsedReason(new OktaParser(), "{\"n\":" + "9".repeat(100_000) + "}"))
        .contains("okta: JSON too large");
  }

  @Test
  void everyParserRejectsTheSameNonJsonTheSameWay() {
    for (RecordParser p : PARSERS) {
      assertThat(unparsedReason(p, "   ")).endsWith("empty record, expected a JSON object");
      assertThat(unparsedReason(p, "{\"a\":1}x")).contains("not valid JSON");
      assertThat(unparsedReason(p, "{\"a\":1} {\"a\":2}"))
          .contains("unexpected content (an object) after the JSON value at character 9");
      assertThat(unparsedReason(p, "{\"a\":1,\"a\":2}")).contains("Duplicate field 'a'");
      assertThat(unparsedReason(p, "\u0000")).contains("not valid JSON");
      assertThat(one(p, "[]").isUnparsed()).isTrue();
    }
  }
}
