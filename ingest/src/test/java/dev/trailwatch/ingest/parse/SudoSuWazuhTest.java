package dev.trailwatch.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sudo and su lines of Wazuh's rule tests ({@code syslog/wazuh-ruleset-sudo-su/tests/*.ini},
 * read in place): every line parses, into the dataset Wazuh's decoder names, with the outcome the
 * expected rule implies.
 *
 * <p>An ini section lists {@code log N pass|fail = LINE} lines, then {@code rule = ID}: a {@code
 * pass} line must fire that rule, a {@code fail} line must not. The rules (rules/0020-syslog_rules
 * .xml) imply the outcome: 5401 failed sudo attempt, 5404 three failed attempts, 5405 user not in
 * sudoers, 5406 command not allowed, 5301/5302 su failed: failure; 5402/5407 successful sudo, 5303
 * /5304 successful su: success. 5403 and 5305 ("first time user ran sudo/su") are children of the
 * success rules for these lines (5402's pattern {@code ; USER=root ; COMMAND=} and 5303/5304's
 * {@code \S+ to \S+ on} match them): success. The {@code fail} lines (rule 5503, pam_unix's generic
 * authentication failure, must not fire because the su decoder claims them) are still su failures
 * by rule 5301's match {@code authentication failure; }.
 */
class SudoSuWazuhTest {
  private static final Path DATA =
      Path.of(System.getProperty("trailwatch.shared.data", "../shared/data"));

  private static final Map<String, Outcome> OUTCOME_BY_RULE =
      Map.ofEntries(
          Map.entry("5401", Outcome.FAILURE),
          Map.entry("5404", Outcome.FAILURE),
          Map.entry("5405", Outcome.FAILURE),
          Map.entry("5406", Outcome.FAILURE),
          Map.entry("5402", Outcome.SUCCESS),
          Map.entry("5403", Outcome.SUCCESS),
          Map.entry("5407", Outcome.SUCCESS),
          Map.entry("5301", Outcome.FAILURE),
          Map.entry("5302", Outcome.FAILURE),
          Map.entry("5303", Outcome.SUCCESS),
          Map.entry("5304", Outcome.SUCCESS),
          Map.entry("5305", Outcome.SUCCESS));

  private static Path data(String relative) {
    Path p = DATA.resolve(relative);
    assumeTrue(
        Files.exists(p),
        "shared test data not found at "
            + p.toAbsolutePath()
            + " (set -Dtrailwatch.shared.data=<folder>)");
    return p;
  }

  /** One test line of an ini file with the expectations of its section. */
  record Case(String section, boolean pass, String line, String rule, String decoder) {}

  static List<Case> cases(Path ini) throws IOException {
    List<Case> out = new ArrayList<>();
    List<String[]> pending = new ArrayList<>(); // {section, pass|fail, line}
    String section = "";
    String rule = null;
    for (String raw : Files.readAllLines(ini, StandardCharsets.UTF_8)) {
      String l = raw.strip();
      if (l.startsWith("[") && l.endsWith("]")) {
        section = l.substring(1, l.length() - 1);
      } else if (l.startsWith("log ")) {
        int eq = l.indexOf(" = ");
        String[] head = l.substring(0, eq).split(" ");
        pending.add(new String[] {section, head[2], l.substring(eq + 3)});
      } else if (l.startsWith("rule = ")) {
        rule = l.substring("rule = ".length());
      } else if (l.startsWith("decoder = ")) {
        String decoder = l.substring("decoder = ".length());
        for (String[] p : pending) {
          out.add(new Case(p[0], p[1].equals("pass"), p[2], rule, decoder));
        }
        pending.clear();
      }
    }
    return out;
  }

  @Test
  void everySudoAndSuLineParsesWithWazuhsOutcome() throws IOException {
    List<Case> all = new ArrayList<>();
    all.addAll(cases(data("syslog/wazuh-ruleset-sudo-su/tests/sudo.ini")));
    all.addAll(cases(data("syslog/wazuh-ruleset-sudo-su/tests/su.ini")));
    assertThat(all).hasSize(13);
    int sudo = 0;
    int su = 0;
    for (Case c : all) {
      AccessEvent e = SudoParserTest.parse(c.line());
      String what = c.section() + ": " + c.line() + " -> " + e.labels();
      assertThat(e.isUnparsed()).as(what).isFalse();
      assertThat(e.event().dataset()).as(what).hasValue(c.decoder());
      Outcome expected =
          c.pass()
              ? OUTCOME_BY_RULE.get(c.rule())
              : c.line().contains("authentication failure; ") ? Outcome.FAILURE : null;
      assertThat(expected).as("an outcome is known for %s", what).isNotNull();
      assertThat(e.event().outcome()).as(what).isEqualTo(expected);
      // Who acted appears in the line, and for sudo it is the word before " : ".
      String user = e.user().name().orElseThrow();
      assertThat(c.line()).as(what).contains(user);
      if (c.decoder().equals("sudo")) {
        String text = c.line().substring(c.line().indexOf("sudo:") + "sudo:".length()).strip();
        assertThat(user).as(what).isEqualTo(text.substring(0, text.indexOf(' ')));
        assertThat(e.labels()).as(what).containsKeys("sudo.run_as", "sudo.command", "sudo.tty");
        sudo++;
      } else {
        assertThat(e.labels()).as(what).containsKey("su.target_user");
        assertThat(e.labels().get("su.target_user")).as(what).isNotEqualTo(user);
        su++;
      }
    }
    assertThat(sudo).isEqualTo(8);
    assertThat(su).isEqualTo(5);
  }

  @Test
  void decoderCommentExamplesParse() throws IOException {
    // The decoders' comments list more example lines than the tests; those with a syslog
    // header and the program sudo or su must parse too. (Wazuh gives no per-line expectation
    // for them, and the sulog/sudoers-file lines without a program are not syslog.)
    int parsed = 0;
    for (String file :
        List.of(
            "syslog/wazuh-ruleset-sudo-su/decoders/0315-su_decoders.xml",
            "syslog/wazuh-ruleset-sudo-su/decoders/0320-sudo_decoders.xml")) {
      for (String raw : Files.readAllLines(data(file), StandardCharsets.UTF_8)) {
        String l = raw.strip();
        if (!l.startsWith("-  ") || !l.matches("-\\s+[A-Z][a-z]{2} [ \\d]\\d \\d\\d:.*")) {
          continue;
        }
        String line = l.substring(1).strip();
        if (!line.contains(" su[") && !line.contains(" su:") && !line.contains(" sudo:")) {
          continue;
        }
        AccessEvent e = SudoParserTest.parse(line);
        assertThat(e.isUnparsed()).as(line + " -> " + e.labels()).isFalse();
        parsed++;
      }
    }
    assertThat(parsed).isEqualTo(11);
  }
}
