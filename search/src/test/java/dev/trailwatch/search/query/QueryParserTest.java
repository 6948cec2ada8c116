package dev.trailwatch.search.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Rfc3339;
import dev.trailwatch.search.query.Filter.All;
import dev.trailwatch.search.query.Filter.And;
import dev.trailwatch.search.query.Filter.Exists;
import dev.trailwatch.search.query.Filter.IntRange;
import dev.trailwatch.search.query.Filter.IpPrefix;
import dev.trailwatch.search.query.Filter.KeywordCompare;
import dev.trailwatch.search.query.Filter.KeywordEquals;
import dev.trailwatch.search.query.Filter.KeywordMatches;
import dev.trailwatch.search.query.Filter.Not;
import dev.trailwatch.search.query.Filter.Or;
import dev.trailwatch.search.query.Filter.TextMatches;
import dev.trailwatch.search.query.Filter.TextPhrase;
import dev.trailwatch.search.query.Filter.TimestampRange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each piece of the language parses to, and the errors, with their positions. */
class QueryParserTest {

  private static Filter filter(String query) throws QueryException {
    return QueryParser.parse(query).filter();
  }

  private static KeywordEquals user(String name) {
    return new KeywordEquals("user.name", name);
  }

  @Test
  void fieldValuesByType() throws QueryException {
    assertThat(filter("user.name:alice")).isEqualTo(user("alice"));
    assertThat(filter("user.name : alice")).isEqualTo(user("alice"));
    assertThat(filter("user.name:\"alice smith\"")).isEqualTo(user("alice smith"));
    assertThat(filter("event.outcome:failure"))
        .isEqualTo(new KeywordEquals("event.outcome", "failure"));
    assertThat(filter("user.roles:system:masters"))
        .isEqualTo(new KeywordEquals("user.roles", "system:masters"));
    assertThat(filter("labels.ssh.method:password"))
        .isEqualTo(new KeywordEquals("labels.ssh.method", "password"));
    assertThat(filter("source.port:22")).isEqualTo(new IntRange("source.port", 22, 22));
    assertThat(filter("source.port:\"22\"")).isEqualTo(new IntRange("source.port", 22, 22));
    Instant t = Instant.parse("2026-11-02T10:00:00Z");
    assertThat(filter("@timestamp:2026-11-02T10:00:00Z")).isEqualTo(new TimestampRange(t, t));
    assertThat(filter("source.ip:10.1.2.3"))
        .isEqualTo(new IpPrefix("source.ip", IpAddress.parse("10.1.2.3"), 32));
    assertThat(filter("source.ip:10.1.2.3/8"))
        .isEqualTo(new IpPrefix("source.ip", IpAddress.parse("10.0.0.0"), 8));
    assertThat(filter("destination.ip:2001:DB8::1/32"))
        .isEqualTo(new IpPrefix("destination.ip", IpAddress.parse("2001:db8::"), 32));
    assertThat(filter("source.ip:\"::ffff:192.0.2.1\""))
        .isEqualTo(new IpPrefix("source.ip", IpAddress.parse("192.0.2.1"), 32));
  }

  @Test
  void wildcardsExistenceAndEscapes() throws QueryException {
    assertThat(filter("user.name:adm*"))
        .isEqualTo(new KeywordMatches("user.name", Wildcard.parse("adm*")));
    assertThat(filter("user.name:a?m**n"))
        .isEqualTo(
            new KeywordMatches(
                "user.name",
                new Wildcard(
                    List.of(
                        new Wildcard.Literal("a"),
                        new Wildcard.AnyChar(),
                        new Wildcard.Literal("m"),
                        new Wildcard.AnyText(),
                        new Wildcard.Literal("n")))));
    assertThat(filter("user.name:*")).isEqualTo(new Exists("user.name"));
    assertThat(filter("message:*")).isEqualTo(new Exists("message"));
    assertThat(filter("source.port:*")).isEqualTo(new Exists("source.port"));
    assertThat(filter("user.name:\"*\"")).isEqualTo(user("*"));
    assertThat(filter("user.name:\\*")).isEqualTo(user("*"));
    assertThat(filter("user.name:a\\ b\\:c\\\"d\\\\")).isEqualTo(user("a b:c\"d\\"));
    assertThat(filter("url.path:/a\\(1\\)")).isEqualTo(new KeywordEquals("url.path", "/a(1)"));
    assertThat(filter("labels.my\\ key:x")).isEqualTo(new KeywordEquals("labels.my key", "x"));
    assertThat(filter("user.name:\\and")).isEqualTo(user("and"));
    assertThat(filter("user.name:\"or\"")).isEqualTo(user("or"));
  }

  @Test
  void fullText() throws QueryException {
    assertThat(filter("Failed")).isEqualTo(new TextPhrase(List.of("failed")));
    assertThat(filter("\"Failed password\""))
        .isEqualTo(new TextPhrase(List.of("failed", "password")));
    assertThat(filter("sshd[42]")).isEqualTo(new TextPhrase(List.of("sshd", "42")));
    assertThat(filter("message:ALICE.smith")).isEqualTo(new TextPhrase(List.of("alice.smith")));
    assertThat(filter("10.0.0.1")).isEqualTo(new TextPhrase(List.of("10.0.0.1")));
    assertThat(filter("FAIL*")).isEqualTo(new TextMatches(Wildcard.parse("fail*")));
    assertThat(filter("\"fail*\"")).isEqualTo(new TextPhrase(List.of("fail")));
    assertThat(filter("*")).isEqualTo(new All());
    assertThat(filter("")).isEqualTo(new All());
    assertThat(filter("   ")).isEqualTo(new All());
    assertThat(filter("\"and\"")).isEqualTo(new TextPhrase(List.of("and")));
  }

  @Test
  void precedenceIsNotThenAndThenOr() throws QueryException {
    Filter a = user("a");
    Filter b = user("b");
    Filter c = user("c");
    assertThat(filter("user.name:a or user.name:b and user.name:c"))
        .isEqualTo(new Or(List.of(a, new And(List.of(b, c)))));
    assertThat(filter("user.name:a and user.name:b or user.name:c"))
        .isEqualTo(new Or(List.of(new And(List.of(a, b)), c)));
    assertThat(filter("not user.name:a and user.name:b"))
        .isEqualTo(new And(List.of(new Not(a), b)));
    assertThat(filter("not (user.name:a or user.name:b)"))
        .isEqualTo(new Not(new Or(List.of(a, b))));
    assertThat(filter("NOT not user.name:a")).isEqualTo(new Not(new Not(a)));
    assertThat(filter("user.name:a AND user.name:b Or user.name:c"))
        .isEqualTo(new Or(List.of(new And(List.of(a, b)), c)));
  }

  @Test
  void adjacentTermsAreAnImplicitAnd() throws QueryException {
    assertThat(filter("user.name:a user.name:b or user.name:c"))
        .isEqualTo(new Or(List.of(new And(List.of(user("a"), user("b"))), user("c"))));
    assertThat(filter("failed password"))
        .isEqualTo(
            new And(
                List.of(new TextPhrase(List.of("failed")), new TextPhrase(List.of("password")))));
    assertThat(filter("bob user.name:alice"))
        .isEqualTo(new And(List.of(new TextPhrase(List.of("bob")), user("alice"))));
    assertThat(filter("(user.name:alice) bob"))
        .isEqualTo(new And(List.of(user("alice"), new TextPhrase(List.of("bob")))));
    assertThat(filter("user.name:alice not bob"))
        .isEqualTo(new And(List.of(user("alice"), new Not(new TextPhrase(List.of("bob"))))));
  }

  @Test
  void aWordRightAfterAFieldValueIsAmbiguous() {
    assertThatThrownBy(() -> QueryParser.parse("http.response.status_code:400 401"))
        .hasMessage(
            "line 1, column 31: is '401' another value of http.response.status_code or a word to"
                + " search for? Write http.response.status_code:(400 or 401) for either value, or"
                + " put 'and' before '401'");
    assertThatThrownBy(() -> QueryParser.parse("user.name:\"alice\" \"bob smith\""))
        .hasMessage(
            "line 1, column 19: is \"bob smith\" another value of user.name or a word to search"
                + " for? Write user.name:(\"alice\" or \"bob smith\") for either value, or put 'and'"
                + " before \"bob smith\"");
  }

  @Test
  void valueGroups() throws QueryException {
    assertThat(filter("user.name:(a or b and not c)"))
        .isEqualTo(new Or(List.of(user("a"), new And(List.of(user("b"), new Not(user("c")))))));
    assertThat(filter("user.name:(a and b)")).isEqualTo(new And(List.of(user("a"), user("b"))));
    assertThatThrownBy(() -> filter("user.name:(a b)"))
        .hasMessage(
            "line 1, column 14: expected 'or', 'and' or ')' before 'b': in a group, say how values"
                + " combine, like user.name:(a or b)");
    assertThat(filter("user.name:((a))")).isEqualTo(user("a"));
    assertThat(filter("source.ip:(10.0.0.0/8 or 2001:db8::/32)"))
        .isEqualTo(
            new Or(
                List.of(
                    new IpPrefix("source.ip", IpAddress.parse("10.0.0.0"), 8),
                    new IpPrefix("source.ip", IpAddress.parse("2001:db8::"), 32))));
  }

  @Test
  void comparisons() throws QueryException {
    assertThat(filter("http.response.status_code >= 500"))
        .isEqualTo(new IntRange("http.response.status_code", 500, Integer.MAX_VALUE));
    assertThat(filter("http.response.status_code>500"))
        .isEqualTo(new IntRange("http.response.status_code", 501, Integer.MAX_VALUE));
    assertThat(filter("source.port < 1024"))
        .isEqualTo(new IntRange("source.port", Integer.MIN_VALUE, 1023));
    assertThat(filter("source.port <= -3"))
        .isEqualTo(new IntRange("source.port", Integer.MIN_VALUE, -3));
    assertThat(filter("source.port > 2147483647")).isEqualTo(new IntRange("source.port", 1, 0));
    Instant t = Instant.parse("2026-11-02T10:00:00Z");
    assertThat(filter("@timestamp < 2026-11-02T12:00:00+02:00"))
        .isEqualTo(new TimestampRange(Rfc3339.MIN, t.minusNanos(1)));
    assertThat(filter("@timestamp > 2026-11-02T10:00:00Z"))
        .isEqualTo(new TimestampRange(t.plusNanos(1), Rfc3339.MAX));
    assertThat(filter("url.path >= /api"))
        .isEqualTo(new KeywordCompare("url.path", Comparison.GREATER_OR_EQUAL, "/api"));
    assertThat(filter("user.name <= \"m\""))
        .isEqualTo(new KeywordCompare("user.name", Comparison.LESS_OR_EQUAL, "m"));
  }

  @Test
  void stages() throws QueryException {
    assertThat(QueryParser.parse("| stats count() by user.name").stages())
        .containsExactly(new Stage.Stats(List.of(new Aggregation.Count()), List.of("user.name")));
    assertThat(
            QueryParser.parse(
                    "event.outcome:failure | STATS count, DC(user.name) BY source.ip, host.name"
                        + " | sort -count(), source.ip | head 5 | fields source.ip, count()")
                .stages())
        .containsExactly(
            new Stage.Stats(
                List.of(new Aggregation.Count(), new Aggregation.DistinctCount("user.name")),
                List.of("source.ip", "host.name")),
            new Stage.Sort(
                List.of(new Stage.SortKey("count()", true), new Stage.SortKey("source.ip", false))),
            new Stage.Head(5),
            new Stage.Fields(List.of("source.ip", "count()")));
    assertThat(QueryParser.parse("* | timechart span=1m count() by url.path").stages())
        .containsExactly(
            new Stage.Timechart(
                Duration.ofMinutes(1), List.of(new Aggregation.Count()), Optional.of("url.path")));
    assertThat(QueryParser.parse("| top user.name | head").stages())
        .containsExactly(new Stage.Top(10, "user.name"), new Stage.Head(10));
    assertThat(QueryParser.parse("| sort -@timestamp | fields user.name, message").stages())
        .containsExactly(
            new Stage.Sort(List.of(new Stage.SortKey("@timestamp", true))),
            new Stage.Fields(List.of("user.name", "message")));
    assertThat(QueryParser.parse("| timechart span=1d count() | sort -_time").stages()).hasSize(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "¦",
      quoteCharacter = '`',
      textBlock =
          """
          `user.name:`                    ¦ 1 ¦ 11 ¦ expected a value after ':'
          `user.name:alice and`           ¦ 1 ¦ 20 ¦ expected a term after 'and', found the end of the query
          `(user.name:alice`              ¦ 1 ¦ 17 ¦ expected ')' to close the '(' at column 1, found the end of the query
          `user.name:alice)`              ¦ 1 ¦ 16 ¦ unexpected ')': there is no '(' to close
          `usr.name:alice`                ¦ 1 ¦ 1  ¦ unknown field 'usr.name'; did you mean 'user.name'?
          `User.Name:alice`               ¦ 1 ¦ 1  ¦ unknown field 'User.Name'; did you mean 'user.name'?
          `status_code >= 500`            ¦ 1 ¦ 1  ¦ unknown field 'status_code'; did you mean 'http.response.status_code'?
          `ip:10.0.0.1`                   ¦ 1 ¦ 1  ¦ unknown field 'ip'; did you mean 'source.ip' or 'destination.ip'?
          `labels:x`                      ¦ 1 ¦ 1  ¦ 'labels' holds many fields: name one label, like labels.ssh.method
          `http://example.com`            ¦ 1 ¦ 1  ¦ unknown field 'http' (docs/QUERY.md lists the fields; to search for text with ':' in it, quote it)
          `source.port:abc`               ¦ 1 ¦ 13 ¦ source.port is an integer field; 'abc' is not an integer
          `source.port:99999999999`       ¦ 1 ¦ 13 ¦ source.port is an integer field; '99999999999' is not an integer between -2147483648 and 2147483647
          `source.port:2*`                ¦ 1 ¦ 13 ¦ wildcards work on keyword and full-text fields; source.port is an integer field (escape a literal * or ?)
          `user.name:10.0.0.0/8`          ¦ 1 ¦ 11 ¦ CIDR ranges work on source.ip and destination.ip; user.name is a keyword field (quote the value to match it as text)
          `source.ip:10.0.0.0/33`         ¦ 1 ¦ 11 ¦ '33' is not a prefix length for an IPv4 network: use 0 to 32, like 10.0.0.0/8
          `source.ip:alice`               ¦ 1 ¦ 11 ¦ source.ip is an IP address field: 'alice' is not an IPv4 or IPv6 address
          `source.ip >= 10.0.0.1`         ¦ 1 ¦ 14 ¦ source.ip is an IP address field: match a network with CIDR instead of '>=', like source.ip:10.0.0.0/8
          `message >= 5`                  ¦ 1 ¦ 12 ¦ message is a full-text field and cannot be compared with '>='; search for words instead, like message:timeout
          `event.outcome:failed`          ¦ 1 ¦ 15 ¦ event.outcome is success, failure or unknown, not 'failed' (lower case)
          `user.name >= a*`               ¦ 1 ¦ 14 ¦ '>=' compares with one value, not a pattern; escape a literal * or ?
          `user.name:"alice`              ¦ 1 ¦ 11 ¦ the quote that starts here is never closed
          `user.name:alice\\`             ¦ 1 ¦ 16 ¦ a '\\' at the end of the query escapes nothing
          `user.name=alice`               ¦ 1 ¦ 10 ¦ unexpected '='; write field:value, like user.name:alice
          `and user.name:a`               ¦ 1 ¦ 1  ¦ expected a term before 'and'
          `user.name:a or or`             ¦ 1 ¦ 16 ¦ expected a term after 'or', found 'or'
          `not`                           ¦ 1 ¦ 4  ¦ expected a term after 'not', found the end of the query
          `()`                            ¦ 1 ¦ 2  ¦ expected a term, found ')'
          `user.name:(a or)`              ¦ 1 ¦ 16 ¦ expected a value after 'or', found ')'
          `user.name:and`                 ¦ 1 ¦ 11 ¦ expected a value after ':'; to search for the word 'and', put it in quotes
          `---`                           ¦ 1 ¦ 1  ¦ '---' has no word to search for: message is searched by its words
          `@timestamp >= yesterday`       ¦ 1 ¦ 15 ¦ @timestamp takes RFC 3339 times: 'yesterday' is not an RFC 3339 timestamp like 2024-05-01T12:34:56.789Z: too short for a date and time with offset
          `user.name:a |`                 ¦ 1 ¦ 14 ¦ expected a stage after '|' (stats, timechart, sort, head, fields, top), found the end of the query
          `| stat count()`                ¦ 1 ¦ 3  ¦ unknown stage 'stat'; did you mean 'stats'?
          `| stats`                       ¦ 1 ¦ 8  ¦ expected count() or dc(field) after 'stats', found the end of the query
          `| stats count() by message`    ¦ 1 ¦ 20 ¦ cannot group by message: it is full text, searched by its words and not kept as values
          `| stats count() by usr.name`   ¦ 1 ¦ 20 ¦ unknown field 'usr.name'; did you mean 'user.name'?
          `| stats count(), count()`      ¦ 1 ¦ 18 ¦ count() appears twice
          `| stats count() | top user.name` ¦ 1 ¦ 19 ¦ 'top' works on events, but 'stats' already made a table of them
          `| stats count() | sort user.name` ¦ 1 ¦ 24 ¦ the table has no column 'user.name'; its columns are count()
          `| fields user.name | stats count() by host.name` ¦ 1 ¦ 39 ¦ cannot group by host.name: an earlier 'fields' kept only user.name
          `| head ten`                    ¦ 1 ¦ 8  ¦ expected a number of rows after 'head', found 'ten'
          `| top 0 user.name`             ¦ 1 ¦ 7  ¦ top takes a number from 1 to 2147483647
          `| timechart count()`           ¦ 1 ¦ 13 ¦ timechart needs span=<duration> first, like timechart span=1m count()
          `| timechart span=5x count()`   ¦ 1 ¦ 18 ¦ span: 'x' is not a unit; use s, m, h, d or w
          `| timechart span=1M count()`   ¦ 1 ¦ 18 ¦ span: 'M' is not a unit: months and years have no fixed length; use s, m, h, d or w
          `| head 5 6`                    ¦ 1 ¦ 10 ¦ unexpected '6' after the stage; start another stage with '|'
          `| dc(user.name)`               ¦ 1 ¦ 3  ¦ unknown stage 'dc'; the stages are stats, timechart, sort, head, fields, top
          """)
  void errorsSayWhereAndWhat(String query, int line, int column, String problem) {
    assertThatThrownBy(() -> QueryParser.parse(query))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(problem);
              assertThat(e.line()).isEqualTo(line);
              assertThat(e.column()).isEqualTo(column);
              assertThat(e.getMessage())
                  .isEqualTo("line " + line + ", column " + column + ": " + problem);
            });
  }

  @Test
  void positionsCountLinesAndCodePoints() {
    assertThatThrownBy(() -> QueryParser.parse("user.name:alice\nand usr.name:x"))
        .hasMessage("line 2, column 5: unknown field 'usr.name'; did you mean 'user.name'?");
    assertThatThrownBy(() -> QueryParser.parse("\uD83D\uDE00 usr.name:x"))
        .hasMessage("line 1, column 3: unknown field 'usr.name'; did you mean 'user.name'?");
  }

  @Test
  void messagesStayOnOneLine() {
    assertThatThrownBy(() -> QueryParser.parse("(user.name:a or\nuser.name:b"))
        .hasMessage(
            "line 2, column 12: expected ')' to close the '(' at line 1, column 1,"
                + " found the end of the query");
    assertThatThrownBy(() -> QueryParser.parse("\"a\n\tb\" user.name:\"x\" |"))
        .hasMessageEndingWith("found the end of the query");
    assertThatThrownBy(() -> QueryParser.parse("| \"x\ny\""))
        .hasMessage(
            "line 1, column 3: expected a stage after '|' (stats, timechart, sort, head, fields,"
                + " top), found the quoted text \"x\\ny\"");
    assertThatThrownBy(() -> QueryParser.parse("user.name:a\uD800b"))
        .hasMessage("line 1, column 12: unpaired surrogate U+D800: the query is not valid Unicode");
  }

  @Test
  void limitsKeepAnyInputSafe() {
    assertThatThrownBy(() -> QueryParser.parse("(".repeat(100_000) + "a"))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("more than 64 deep");
    assertThatThrownBy(() -> QueryParser.parse("a ".repeat(600)))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("more than 512 conditions");
    assertThatThrownBy(() -> QueryParser.parse("user.name:*a" + "?".repeat(60)))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("too complex");
  }
}
