package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hand-written access log lines (documentation addresses, made-up users), one oddity each. */
class AccessLogParserTest {
  private static final ParseContext CTX =
      new ParseContext(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  private static final AccessLogParser APACHE = AccessLogParser.apache();
  private static final AccessLogParser NGINX = AccessLogParser.nginx();
  private static final String TIME = "[22/Nov/2026:10:15:32 +0100]";
  private static final String UA = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101";

  private static AccessEvent one(AccessLogParser parser, String line) {
    return one(parser, line, CTX);
  }

  private static AccessEvent one(AccessLogParser parser, String line, ParseContext ctx) {
    List<AccessEvent> out = new ArrayList<>();
    parser.parse(line, ctx, out::add);
    assertThat(out).as(line).hasSize(1);
    AccessEvent e = out.get(0);
    assertThat(e.message()).hasValue(line);
    return e;
  }

  private static AccessEvent parsed(AccessLogParser parser, String line) {
    AccessEvent e = one(parser, line);
    assertThat(e.isUnparsed()).as("%s: %s", line, e.labels()).isFalse();
    assertThat(e.event().action()).isEqualTo("http_request");
    assertThat(e.event().category()).hasValue("web");
    assertThat(e.event().dataset()).hasValue(parser.dataset());
    return e;
  }

  private static AccessEvent unparsed(AccessLogParser parser, String line) {
    AccessEvent e = one(parser, line);
    assertThat(e.isUnparsed()).as(line).isTrue();
    assertThat(e.labels().get(AccessEvent.PARSE_ERROR_LABEL)).startsWith(parser.dataset() + ": ");
    return e;
  }

  private static Optional<String> ip(AccessEvent e) {
    return e.source().ip().map(Object::toString);
  }

  @Test
  void commonLogFormat() {
    AccessEvent e =
        parsed(APACHE, "192.0.2.10 - - " + TIME + " \"GET /index.html HTTP/1.1\" 200 5120");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-22T09:15:32Z"));
    assertThat(ip(e)).hasValue("192.0.2.10");
    assertThat(e.user().name()).isEmpty();
    assertThat(e.web().method()).hasValue("GET");
    assertThat(e.web().urlPath()).hasValue("/index.html");
    assertThat(e.web().statusCode()).hasValue(200);
    assertThat(e.web().userAgent()).isEmpty();
    assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(e.serviceName()).hasValue("apache");
    assertThat(e.labels())
        .containsEntry("http.version", "1.1")
        .containsEntry("http.response.body.bytes", "5120")
        .doesNotContainKeys("url.query", "http.request.referrer", "http.request.line");
  }

  @Test
  void combinedWithQueryRefererAndAgent() {
    AccessEvent e =
        parsed(
            NGINX,
            "198.51.100.23 - - [03/Feb/2026:23:59:01 -0530] \"POST /api/v1/login?next=%2Fhome&x=1"
                + " HTTP/2.0\" 302 0 \"https://shop.example.com/login\" \""
                + UA
                + "\"");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-02-04T05:29:01Z"));
    assertThat(e.web().method()).hasValue("POST");
    assertThat(e.web().urlPath()).hasValue("/api/v1/login");
    assertThat(e.web().userAgent()).hasValue(UA);
    assertThat(e.serviceName()).hasValue("nginx");
    assertThat(e.labels())
        .containsEntry("url.query", "next=%2Fhome&x=1")
        .containsEntry("http.version", "2.0")
        .containsEntry("http.response.body.bytes", "0")
        .containsEntry("http.request.referrer", "https://shop.example.com/login");
  }

  @Test
  void outcomeFollowsTheStatusAndTheAuthUserIsTheUser() {
    AccessEvent denied =
        parsed(APACHE, "203.0.113.4 - mallory " + TIME + " \"GET /admin/ HTTP/1.1\" 401 381");
    assertThat(denied.user().name()).hasValue("mallory");
    assertThat(denied.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(parsed(APACHE, "203.0.113.4 - - " + TIME + " \"GET / HTTP/1.1\" 403 1").event())
        .extracting(ev -> ev.outcome())
        .isEqualTo(Outcome.FAILURE);
    assertThat(parsed(APACHE, "203.0.113.4 - - " + TIME + " \"GET / HTTP/1.1\" 399 1").event())
        .extracting(ev -> ev.outcome())
        .isEqualTo(Outcome.SUCCESS);
    assertThat(parsed(APACHE, "203.0.113.4 - - " + TIME + " \"GET / HTTP/1.1\" 400 1").event())
        .extracting(ev -> ev.outcome())
        .isEqualTo(Outcome.FAILURE);
    assertThat(parsed(APACHE, "203.0.113.4 - - " + TIME + " \"GET / HTTP/1.1\" 101 1").event())
        .extracting(ev -> ev.outcome())
        .isEqualTo(Outcome.SUCCESS);
  }

  @Test
  void nginxExtensionsAfterTheAgentBecomeExtraLabels() {
    AccessEvent e =
        parsed(
            NGINX,
            "192.0.2.50 - - "
                + TIME
                + " \"GET /cart HTTP/1.1\" 200 912 \"-\" \""
                + UA
                + "\" \"203.0.113.9, 198.51.100.2\" 0.012 0.010 \"-\" upstream=10.0.0.5:8080");
    assertThat(e.web().userAgent()).hasValue(UA);
    assertThat(e.labels())
        .containsEntry("http.extra.1", "203.0.113.9, 198.51.100.2")
        .containsEntry("http.extra.2", "0.012")
        .containsEntry("http.extra.3", "0.010")
        .containsEntry("http.extra.4", "-")
        .containsEntry("http.extra.5", "upstream=10.0.0.5:8080")
        .doesNotContainKey("http.request.referrer");
  }

  @Test
  void extrasAreCappedAndNeverFailALine() {
    StringBuilder line =
        new StringBuilder("192.0.2.50 - - " + TIME + " \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"");
    for (int i = 0; i < 50; i++) {
      line.append(i % 2 == 0 ? " \"q" + i + "\"" : " b" + i);
    }
    line.append(" \"unterminated");
    AccessEvent e = parsed(NGINX, line.toString());
    assertThat(e.labels().keySet().stream().filter(k -> k.startsWith("http.extra.")))
        .hasSize(AccessLogParser.MAX_EXTRAS);
    assertThat(e.labels()).containsEntry("http.extra.1", "q0").containsEntry("http.extra.2", "b1");
  }

  @Test
  void apacheVhostCombined() {
    AccessEvent e =
        parsed(
            APACHE,
            "www.example.org:443 198.51.100.7 - - "
                + TIME
                + " \"GET /robots.txt HTTP/1.1\" 404 196 \"-\" \"curl/8.5.0\"");
    assertThat(ip(e)).hasValue("198.51.100.7");
    assertThat(e.destination().port()).hasValue(443);
    assertThat(e.labels()).containsEntry("url.domain", "www.example.org");
    assertThat(e.web().statusCode()).hasValue(404);
    assertThat(e.web().userAgent()).hasValue("curl/8.5.0");
  }

  @Test
  void vhostWithoutPortAndVhostAfterTheTime() {
    AccessEvent first =
        parsed(APACHE, "shop.example.com 203.0.113.5 - - " + TIME + " \"GET / HTTP/1.1\" 200 3");
    assertThat(ip(first)).hasValue("203.0.113.5");
    assertThat(first.labels()).containsEntry("url.domain", "shop.example.com");
    assertThat(first.destination().port()).isEmpty();

    // A custom format with a bare vhost between the time and the request, and no zone.
    AccessEvent second =
        parsed(
            APACHE,
            "203.0.113.5 - - - [22/Nov/2026:10:15:32 ] shop.example.com \"GET / HTTP/1.1\" 200 814"
                + " \"-\" \"curl/8.5.0\" + 293 1149");
    assertThat(ip(second)).hasValue("203.0.113.5");
    assertThat(second.user().name()).isEmpty();
    assertThat(second.timestamp()).isEqualTo(Instant.parse("2026-11-22T10:15:32Z"));
    assertThat(second.web().userAgent()).hasValue("curl/8.5.0");
    assertThat(second.labels())
        .containsEntry("http.extra.1", "shop.example.com")
        .containsEntry("http.extra.2", "+")
        .containsEntry("http.extra.3", "293")
        .containsEntry("http.extra.4", "1149");
  }

  @Test
  void timeWithoutZoneUsesTheContextZoneAndFractionsAreKept() {
    ParseContext berlin = new ParseContext(CTX.receivedAt(), ZoneId.of("Europe/Berlin"));
    AccessEvent e =
        one(
            APACHE,
            "192.0.2.12 - carol [27/Jun/2026:11:55:44] \"GET /knock/ HTTP/1.1\" 200 266",
            berlin);
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-06-27T09:55:44Z"));
    assertThat(e.user().name()).hasValue("carol");
    AccessEvent f =
        parsed(APACHE, "192.0.2.12 - - [01/jan/2026:00:00:01.250 +0000] \"GET / HTTP/1.1\" 200 1");
    assertThat(f.timestamp()).isEqualTo(Instant.parse("2026-01-01T00:00:01.250Z"));
  }

  @Test
  void escapedQuotesAndBackslashes() {
    AccessEvent e =
        parsed(
            APACHE,
            "192.0.2.7 - - "
                + TIME
                + " \"GET /a\\\\b/\\\"q\\\" HTTP/1.1\" 200 10 \"-\" \"Agent \\\"quoted\\\" \\\\o/\"");
    assertThat(e.web().urlPath()).hasValue("/a\\b/\"q\"");
    assertThat(e.web().userAgent()).hasValue("Agent \"quoted\" \\o/");
  }

  @Test
  void hexEscapesDecodeWhenPrintableOrUtf8AndStayOtherwise() {
    AccessEvent e =
        parsed(
            NGINX,
            "192.0.2.7 - - "
                + TIME
                + " \"GET /caf\\xC3\\xA9/\\x22x\\x22 HTTP/1.1\" 200 10"
                + " \"http://\\xe4\\xe5\\xe3-\\xf0\\xf4/\" \"tab\\x09bell\\x07 \\n end\\\"\"");
    assertThat(e.web().urlPath()).hasValue("/café/\"x\"");
    // Bytes that are not UTF-8 (this referrer was written in a single-byte code page) and control
    // characters stay as written.
    assertThat(e.labels())
        .containsEntry("http.request.referrer", "http://\\xe4\\xe5\\xe3-\\xf0\\xf4/");
    assertThat(e.web().userAgent()).hasValue("tab\\x09bell\\x07 \\n end\"");
  }

  @Test
  void tlsHandshakeOnThePlainPort() {
    AccessEvent e =
        parsed(
            NGINX,
            "203.0.113.66 - - "
                + TIME
                + " \"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03\\xD4\" 400 157 \"-\""
                + " \"-\"");
    assertThat(e.web().method()).isEmpty();
    assertThat(e.web().urlPath()).isEmpty();
    assertThat(e.web().statusCode()).hasValue(400);
    assertThat(e.web().userAgent()).isEmpty();
    assertThat(e.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(ip(e)).hasValue("203.0.113.66");
    assertThat(e.labels())
        .containsEntry(
            "http.request.line", "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03\\xD4")
        .doesNotContainKey("http.request.referrer");
  }

  @Test
  void dashAndEmptyRequests() {
    AccessEvent dash = parsed(NGINX, "198.51.100.9 - - " + TIME + " \"-\" 408 0 \"-\" \"-\"");
    assertThat(dash.labels()).containsEntry("http.request.line", "-");
    assertThat(dash.web().statusCode()).hasValue(408);
    assertThat(dash.web().method()).isEmpty();
    AccessEvent empty = parsed(NGINX, "198.51.100.9 - - " + TIME + " \"\" 400 0 \"\" \"\"");
    assertThat(empty.labels()).doesNotContainKeys("http.request.line", "http.request.referrer");
    assertThat(empty.web().userAgent()).isEmpty();
  }

  @Test
  void requestLinesThatAreNotMethodPathProtocol() {
    AccessEvent noProtocol =
        parsed(APACHE, "192.0.2.3 - - " + TIME + " \"GET /only/a/path\" 400 226");
    assertThat(noProtocol.web().method()).hasValue("GET");
    assertThat(noProtocol.web().urlPath()).hasValue("/only/a/path");
    assertThat(noProtocol.labels()).doesNotContainKeys("http.version", "http.request.line");

    AccessEvent spaces =
        parsed(APACHE, "192.0.2.3 - - " + TIME + " \"GET /my docs/a b.html?x=1 y HTTP/1.1\" 404 9");
    assertThat(spaces.web().urlPath()).hasValue("/my docs/a b.html");
    assertThat(spaces.labels()).containsEntry("url.query", "x=1 y");

    AccessEvent garbage = parsed(APACHE, "192.0.2.3 - - " + TIME + " \"hello there\" 400 0");
    assertThat(garbage.web().method()).isEmpty();
    assertThat(garbage.labels()).containsEntry("http.request.line", "hello there");

    AccessEvent methodOnly = parsed(APACHE, "192.0.2.3 - - " + TIME + " \"OPTIONS\" 400 0");
    assertThat(methodOnly.web().method()).hasValue("OPTIONS");
    assertThat(methodOnly.labels()).containsEntry("http.request.line", "OPTIONS");

    AccessEvent proxy =
        parsed(
            APACHE,
            "192.0.2.3 - - " + TIME + " \"GET http://example.net:8080/p/q?r=1 HTTP/1.1\" 200 5");
    assertThat(proxy.web().urlPath()).hasValue("/p/q");
    assertThat(proxy.labels())
        .containsEntry("url.original", "http://example.net:8080/p/q?r=1")
        .containsEntry("url.query", "r=1");

    AccessEvent connect =
        parsed(APACHE, "192.0.2.3 - - " + TIME + " \"CONNECT example.net:443 HTTP/1.1\" 405 0");
    assertThat(connect.web().method()).hasValue("CONNECT");
    assertThat(connect.web().urlPath()).isEmpty();
    assertThat(connect.labels()).containsEntry("url.original", "example.net:443");
  }

  @Test
  void unescapedQuoteInsideTheRequestOfOldApache() {
    AccessEvent e =
        parsed(
            APACHE,
            "192.0.2.8 - - " + TIME + " \"GET /x\"y\" z HTTP/1.0\" 404 209 \"-\" \"" + UA + "\"");
    assertThat(e.web().urlPath()).hasValue("/x\"y\" z");
    assertThat(e.web().statusCode()).hasValue(404);
    assertThat(e.web().userAgent()).hasValue(UA);
  }

  @Test
  void unterminatedAgentRunsToTheEndOfTheLine() {
    AccessEvent e =
        parsed(APACHE, "192.0.2.8 - - " + TIME + " \"GET / HTTP/1.1\" 200 1 \"-\" \"Bot/1.0 (+");
    assertThat(e.web().userAgent()).hasValue("Bot/1.0 (+");
  }

  @Test
  void dashForBytes() {
    AccessEvent e =
        parsed(APACHE, "192.0.2.8 - - " + TIME + " \"HEAD / HTTP/1.1\" 304 - \"-\" \"" + UA + "\"");
    assertThat(e.labels()).doesNotContainKey("http.response.body.bytes");
    assertThat(e.web().userAgent()).hasValue(UA);
    assertThat(e.web().statusCode()).hasValue(304);
  }

  @Test
  void ipv6AndMappedHosts() {
    assertThat(ip(parsed(NGINX, "2001:db8::1 - - " + TIME + " \"GET / HTTP/1.1\" 200 1")))
        .hasValue("2001:db8::1");
    assertThat(ip(parsed(NGINX, "2001:DB8:0:0::A - - " + TIME + " \"GET / HTTP/1.1\" 200 1")))
        .hasValue("2001:db8::a");
    assertThat(ip(parsed(NGINX, "::ffff:192.0.2.33 - - " + TIME + " \"GET / HTTP/1.1\" 200 1")))
        .hasValue("192.0.2.33");
    AccessEvent bracketed =
        parsed(NGINX, "[2001:db8::7]:51234 - - " + TIME + " \"GET / HTTP/1.1\" 200 1");
    assertThat(ip(bracketed)).hasValue("2001:db8::7");
    assertThat(bracketed.source().port()).hasValue(51234);
    AccessEvent withPort =
        parsed(NGINX, "192.0.2.40:40000 - - " + TIME + " \"GET / HTTP/1.1\" 200 1");
    assertThat(ip(withPort)).hasValue("192.0.2.40");
    assertThat(withPort.source().port()).hasValue(40000);
  }

  @Test
  void hostNamesGoToSourceAddress() {
    AccessEvent named =
        parsed(APACHE, "client7.example.net - dave " + TIME + " \"GET /x HTTP/1.1\" 200 1");
    assertThat(named.source().ip()).isEmpty();
    assertThat(named.user().name()).hasValue("dave");
    assertThat(named.labels()).containsEntry("source.address", "client7.example.net");

    // Without a user, nothing says who acted: the schema cannot store it as an access event.
    AccessEvent anonymous =
        unparsed(APACHE, "client7.example.net - - " + TIME + " \"GET /x HTTP/1.1\" 200 1");
    assertThat(anonymous.labels())
        .containsEntry("source.address", "client7.example.net")
        .extractingByKey(AccessEvent.PARSE_ERROR_LABEL)
        .asString()
        .contains("not an IP address");
    assertThat(anonymous.timestamp()).isEqualTo(Instant.parse("2026-11-22T09:15:32Z"));
  }

  @Test
  void userNamesWithSpacesAndIdent() {
    AccessEvent e =
        parsed(APACHE, "192.0.2.9 ident-x Erin Doe " + TIME + " \"GET / HTTP/1.1\" 200 1");
    assertThat(e.user().name()).hasValue("Erin Doe");
  }

  @Test
  void statusThatIsNotAnHttpStatus() {
    AccessEvent e =
        parsed(NGINX, "192.0.2.9 - - " + TIME + " \"GET / HTTP/1.1\" 000 0 \"-\" \"-\"");
    assertThat(e.web().statusCode()).isEmpty();
    assertThat(e.event().outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e.labels()).containsEntry("http.response.status", "000");
  }

  @Test
  void linesWithoutTheFixedFieldsAreUnparsed() {
    unparsed(APACHE, "");
    unparsed(APACHE, "   ");
    unparsed(APACHE, "[Sun Nov 22 10:15:32 2026] [error] [client 192.0.2.1] File does not exist");
    unparsed(APACHE, "192.0.2.1 - - [22/Nov/2026:10:15:32 +0100 \"GET / HTTP/1.1\" 200 1");
    unparsed(APACHE, "192.0.2.1 - - [22/Foo/2026:10:15:32 +0100] \"GET / HTTP/1.1\" 200 1");
    unparsed(APACHE, "192.0.2.1 - - [31/Feb/2026:10:15:32 +0100] \"GET / HTTP/1.1\" 200 1");
    unparsed(APACHE, "[22/Nov/2026:10:15:32 +0100] \"GET / HTTP/1.1\" 200 1");
    AccessEvent noStatus = unparsed(APACHE, "192.0.2.1 - - " + TIME + " \"GET / HTTP/1.1\" OK 1");
    assertThat(noStatus.labels().get(AccessEvent.PARSE_ERROR_LABEL)).contains("three-digit status");
    assertThat(noStatus.timestamp()).isEqualTo(Instant.parse("2026-11-22T09:15:32Z"));
    unparsed(APACHE, "192.0.2.1 - - " + TIME + " \"GET / HTTP/1.1\"");
    unparsed(APACHE, "192.0.2.1 - - " + TIME + " \"GET / HTTP/1.1\" 2000 1");
    unparsed(APACHE, "192.0.2.1 - - " + TIME);
    unparsed(APACHE, "- - - " + TIME + " \"GET / HTTP/1.1\" 200 1");
  }

  @Test
  void throughSyslog() {
    SyslogFormat syslog = new SyslogFormat("syslog", List.of(NGINX, APACHE), Optional.empty());
    List<AccessEvent> out = new ArrayList<>();
    String nginx =
        "<190>Nov 22 10:00:00 web1 nginx: 192.0.2.21 - - [22/Nov/2026:10:00:00 +0000] \"GET /health"
            + " HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"";
    String httpd =
        "Nov 22 10:00:01 web2 httpd[812]: 198.51.100.4 - bob [22/Nov/2026:11:00:01 +0100] \"POST"
            + " /login HTTP/1.1\" 401 12";
    String apache2 =
        "Nov 22 10:00:02 web3 apache2: www.example.org:80 192.0.2.5 - - [22/Nov/2026:10:00:02"
            + " +0000] \"GET / HTTP/1.1\" 301 0 \"-\" \"-\"";
    String errorLog =
        "<187>Nov 22 10:00:03 web1 nginx: 2026/11/22 10:00:03 [error] 31#31: *1 open() failed";
    for (String line : List.of(nginx, httpd, apache2, errorLog)) {
      syslog.parse(line, CTX, out::add);
    }
    assertThat(out).hasSize(4);
    AccessEvent a = out.get(0);
    assertThat(a.event().dataset()).hasValue("nginx.access");
    assertThat(a.hostName()).hasValue("web1");
    assertThat(a.serviceName()).hasValue("nginx");
    assertThat(a.message()).hasValue(nginx);
    assertThat(a.web().userAgent()).hasValue("kube-probe/1.29");
    assertThat(a.labels()).containsEntry("syslog.severity", "6");
    AccessEvent b = out.get(1);
    assertThat(b.event().dataset()).hasValue("apache.access");
    assertThat(b.serviceName()).hasValue("httpd");
    assertThat(b.user().name()).hasValue("bob");
    assertThat(b.timestamp()).isEqualTo(Instant.parse("2026-11-22T10:00:01Z"));
    assertThat(b.event().outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(out.get(2).event().dataset()).hasValue("apache.access");
    assertThat(out.get(2).destination().port()).hasValue(80);
    assertThat(out.get(3).isUnparsed()).isTrue();
    assertThat(out.get(3).message()).hasValue(errorLog);
  }

  @Test
  void namesAndPrograms() {
    assertThat(NGINX.format()).isEqualTo("nginx");
    assertThat(NGINX.dataset()).isEqualTo("nginx.access");
    assertThat(NGINX.programs()).containsExactly("nginx");
    assertThat(APACHE.format()).isEqualTo("apache");
    assertThat(APACHE.dataset()).isEqualTo("apache.access");
    assertThat(APACHE.programs()).containsExactly("apache", "apache2", "httpd");
  }
}
