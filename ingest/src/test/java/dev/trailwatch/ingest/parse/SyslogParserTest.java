package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.ingest.ParseContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SyslogParserTest {
  private static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  private static SyslogMessage parse(String line) throws Exception {
    return SyslogParser.parse(line, CTX);
  }

  @Test
  void bsdLineFromAFile() throws Exception {
    SyslogMessage m =
        parse("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186");
    assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC3164);
    assertThat(m.priority()).isEmpty();
    assertThat(m.timestamp()).hasValue(Instant.parse("2025-12-10T06:55:46Z")); // last year's
    assertThat(m.hostname()).hasValue("LabSZ");
    assertThat(m.appName()).hasValue("sshd");
    assertThat(m.procId()).hasValue("24200");
    assertThat(m.text()).isEqualTo("Invalid user webmaster from 173.234.31.186");
  }

  @Test
  void bsdOnTheWireWithPriorityAndSingleDigitDay() throws Exception {
    SyslogMessage m =
        parse("<38>Nov  2 08:00:01 host-a sudo:   alice : TTY=pts/0 ; COMMAND=/bin/ls");
    assertThat(m.priority()).isEqualTo(OptionalInt.of(38));
    assertThat(m.facility()).isEqualTo(OptionalInt.of(4));
    assertThat(m.severity()).isEqualTo(OptionalInt.of(6));
    assertThat(m.timestamp()).hasValue(Instant.parse("2026-11-02T08:00:01Z"));
    assertThat(m.appName()).hasValue("sudo");
    assertThat(m.procId()).isEmpty();
    assertThat(m.text()).isEqualTo("  alice : TTY=pts/0 ; COMMAND=/bin/ls");
  }

  @Test
  void yearIsTheLatestNotInTheFutureWithADayOfTolerance() throws Exception {
    assertThat(parse("Nov 23 11:00:00 h p: x").timestamp())
        .hasValue(Instant.parse("2026-11-23T11:00:00Z")); // within a day ahead: clock skew
    assertThat(parse("Nov 24 11:00:00 h p: x").timestamp())
        .hasValue(Instant.parse("2025-11-24T11:00:00Z"));
    assertThat(parse("Feb 29 11:00:00 h p: x").timestamp())
        .hasValue(Instant.parse("2024-02-29T11:00:00Z"));
  }

  @Test
  void zoneComesFromTheContext() throws Exception {
    ParseContext berlin = new ParseContext(CTX.receivedAt(), ZoneId.of("Europe/Berlin"));
    assertThat(SyslogParser.parse("Jul  1 12:00:00 h p: x", berlin).timestamp())
        .hasValue(Instant.parse("2026-07-01T10:00:00Z"));
  }

  @Test
  void rfc3339TimestampAsRsyslogWritesFiles() throws Exception {
    SyslogMessage m =
        parse(
            "2015-04-16T18:02:50.568798+00:00 host sshd[2716]: Connection closed by 192.0.2.112"
                + " [preauth]");
    assertThat(m.timestamp()).hasValue(Instant.parse("2015-04-16T18:02:50.568798Z"));
    assertThat(m.hostname()).hasValue("host");
    assertThat(m.appName()).hasValue("sshd");
  }

  @Test
  void tagWithoutHostAndProgramWithModule() throws Exception {
    SyslogMessage m = parse("Nov 23 21:50:37 sshd[8148]: Connection closed by 61.0.0.1 [preauth]");
    assertThat(m.hostname()).isEmpty();
    assertThat(m.appName()).hasValue("sshd");
    SyslogMessage pam =
        parse("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; rhost=1.2.3.4");
    assertThat(pam.appName()).hasValue("sshd(pam_unix)");
    assertThat(pam.program()).isEqualTo("sshd");
  }

  @Test
  void rfc5424WithStructuredData() throws Exception {
    SyslogMessage m =
        parse(
            "<38>1 2019-07-08T17:40:17.954167-04:00 hostname.example.com sshd 55555 - [timeQuality"
                + " tzKnown=\"1\" isSynced=\"0\"][xxx@123 test=\"[brackets\\]\"] Failed unknown for"
                + " invalid user redmond from 192.0.2.2 port 55555 ssh2");
    assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC5424);
    assertThat(m.timestamp()).hasValue(Instant.parse("2019-07-08T21:40:17.954167Z"));
    assertThat(m.hostname()).hasValue("hostname.example.com");
    assertThat(m.appName()).hasValue("sshd");
    assertThat(m.procId()).hasValue("55555");
    assertThat(m.msgId()).isEmpty();
    assertThat(m.structuredData())
        .containsExactly(
            Map.entry("timeQuality.tzKnown", "1"),
            Map.entry("timeQuality.isSynced", "0"),
            Map.entry("xxx@123.test", "[brackets]"));
    assertThat(m.text()).startsWith("Failed unknown for invalid user redmond");
    assertThat(m.labels()).containsEntry("syslog.sd.xxx@123.test", "[brackets]");
  }

  @Test
  void rfc5424NilValuesAndBom() throws Exception {
    SyslogMessage m = parse("<13>1 - - - - - - \uFEFFhello");
    assertThat(m.timestamp()).isEmpty();
    assertThat(m.hostname()).isEmpty();
    assertThat(m.appName()).isEqualTo(Optional.empty());
    assertThat(m.text()).isEqualTo("hello");
  }

  @Test
  void errorsSayWhere() {
    assertThatThrownBy(() -> parse("<999>Nov 22 08:00:00 h p: x"))
        .isInstanceOfSatisfying(
            SyslogParser.SyslogFormatException.class,
            e -> assertThat(e.describe()).startsWith("column 1: expected a priority"));
    assertThatThrownBy(() -> parse("hello world"))
        .isInstanceOfSatisfying(
            SyslogParser.SyslogFormatException.class,
            e -> assertThat(e.describe()).contains("expected a timestamp"));
    assertThatThrownBy(() -> parse("<13>1 2019-13-45T00:00:00Z h a p m - x"))
        .hasMessageContaining("is not RFC 3339");
    assertThatThrownBy(() -> parse("<13>1 2019-07-08T00:00:00Z h a p m [x a=\"1] text"))
        .hasMessageContaining("no closing quote");
  }
}
