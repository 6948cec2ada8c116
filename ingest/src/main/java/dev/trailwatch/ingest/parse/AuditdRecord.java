package dev.trailwatch.ingest.parse;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One Linux audit record, read but not interpreted. The forms read:
 *
 * <ul>
 *   <li>auditd's log: {@code [node=NODE ]type=NAME msg=audit(EPOCH.MILLIS:SERIAL): FIELDS}, also as
 *       audispd and audisp-syslog forward it;
 *   <li>the kernel's form (dmesg, {@code kernel: audit:}): {@code type=1112 audit(EPOCH:SERIAL):
 *       FIELDS}, the type a number;
 *   <li>journald's form ({@code audit[PID]: USER_LOGIN pid=...}): the type name, then the fields,
 *       without time or serial.
 * </ul>
 *
 * <p>FIELDS are {@code key=value} pairs; a value is {@code "quoted"}, bare, or hex-encoded (a bare
 * run of upper-case hex digits, which auditd writes for strings holding spaces, quotes or control
 * characters). The user-space {@code msg='...'} is read into the same map (its pairs win). The
 * enriched form's names after a {@code \x1d} separator ({@code UID="root" AUID="alice"}) are kept
 * apart in {@link #enriched()}. Values {@code ?}, {@code (null)}, {@code (none)} and empty values
 * count as absent. The bare words {@code old} and {@code new} before a key (old LOGIN records:
 * {@code old auid=4294967295 new auid=0}) prefix it: {@code old_auid}, {@code new_auid}.
 *
 * @param type the record type's name, upper case ({@code USER_LOGIN}; {@code UNKNOWN[1329]} as
 *     auditd writes types it does not know)
 * @param time when the kernel stamped the event, absent in journald's form
 * @param serial the event's serial number, shared by the records of one event
 * @param node the {@code node=} name of the reporting host
 * @param fields the fields by key, decoded
 * @param enriched the enriched names by upper-case key ({@code AUID -> alice})
 */
record AuditdRecord(
    String type,
    Optional<Instant> time,
    OptionalLong serial,
    Optional<String> node,
    Map<String, String> fields,
    Map<String, String> enriched) {

  /** Why a text is not an audit record; {@link #getMessage()} is the reason, quoting input. */
  static final class NotAuditException extends Exception {
    private static final long serialVersionUID = 1L;

    NotAuditException(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Fields that hold strings and are hex-encoded when written bare in hex. */
  private static final Set<String> STRING_FIELDS =
      Set.of(
          "acct",
          "cmd",
          "comm",
          "cwd",
          "data",
          "dir",
          "exe",
          "file",
          "grp",
          "key",
          "name",
          "new_group",
          "ocomm",
          "old_group",
          "path",
          "proctitle",
          "unit",
          "user",
          "vm");

  /** Record types by number, for the kernel's form; others become {@code UNKNOWN[n]}. */
  private static final Map<Integer, String> TYPES_BY_NUMBER = typesByNumber();

  AuditdRecord {
    requireNonNull(type, "type");
    requireNonNull(time, "time");
    requireNonNull(serial, "serial");
    requireNonNull(node, "node");
    fields = Map.copyOf(fields);
    enriched = Map.copyOf(enriched);
  }

  /** The value of a field, when present. */
  Optional<String> field(String key) {
    return Optional.ofNullable(fields.get(key));
  }

  /** Reads one record. */
  static AuditdRecord read(String text) throws NotAuditException {
    String s = text.strip();
    if (s.startsWith("audit: ")) {
      s = s.substring("audit: ".length()); // the kernel's prefix, as dmesg shows it
    }
    String node = null;
    if (s.startsWith("node=")) {
      int space = s.indexOf(' ');
      if (space < 0) {
        throw new NotAuditException("only a node= field, no record");
      }
      node = s.substring("node=".length(), space);
      s = s.substring(space + 1).stripLeading();
    }
    String type;
    Instant time = null;
    long serial = -1;
    String body;
    if (s.startsWith("type=")) {
      int space = s.indexOf(' ');
      if (space < 0) {
        throw new NotAuditException("a type= without a record: " + quote(s));
      }
      type = s.substring("type=".length(), space);
      if (!typeName(type)) {
        throw new NotAuditException("not a record type: " + quote(type));
      }
      if (allDigits(type)) {
        // Record types are small numbers; a longer digit run is simply unknown (fuzz finding:
        // "type=4294967295" overflowed Integer.parseInt).
        Integer number = type.length() <= 9 ? Integer.valueOf(type) : null;
        String name = number == null ? null : TYPES_BY_NUMBER.get(number);
        type = name != null ? name : "UNKNOWN[" + type + "]";
      }
      String rest = s.substring(space + 1).stripLeading();
      if (rest.startsWith("msg=")) {
        rest = rest.substring("msg=".length());
      }
      if (!rest.startsWith("audit(")) {
        throw new NotAuditException(
            "type=" + type + " without the audit(time:serial) header: " + quote(rest));
      }
      int close = rest.indexOf(')');
      if (close < 0) {
        throw new NotAuditException("unclosed audit( header: " + quote(rest));
      }
      String header = rest.substring("audit(".length(), close);
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new NotAuditException("audit(" + header + ") is not audit(time:serial)");
      }
      time = epoch(header.substring(0, colon));
      String serialText = header.substring(colon + 1);
      if (!allDigits(serialText) || serialText.length() > 18) {
        throw new NotAuditException("audit(" + header + ") has a bad serial number");
      }
      serial = Long.parseLong(serialText);
      body = rest.substring(close + 1);
      if (body.startsWith(":")) {
        body = body.substring(1);
      }
    } else {
      // journald: "USER_LOGIN pid=1 uid=0 ..."
      int space = s.indexOf(' ');
      type = space < 0 ? s : s.substring(0, space);
      if (space < 0 || !typeName(type) || allDigits(type) || type.contains("=")) {
        throw new NotAuditException("expected type=TYPE msg=audit(time:serial): " + quote(s));
      }
      body = s.substring(space + 1);
    }
    Map<String, String> fields = new HashMap<>();
    Map<String, String> enriched = new HashMap<>();
    int gs = body.indexOf('\u001d');
    if (gs >= 0) {
      readPairs(body.substring(gs + 1), enriched, false);
      body = body.substring(0, gs);
    }
    readPairs(body, fields, true);
    return new AuditdRecord(
        type,
        Optional.ofNullable(time),
        serial < 0 ? OptionalLong.empty() : OptionalLong.of(serial),
        Optional.ofNullable(node).filter(n -> !n.isEmpty()),
        fields,
        enriched);
  }

  private static Instant epoch(String text) throws NotAuditException {
    int dot = text.indexOf('.');
    String seconds = dot < 0 ? text : text.substring(0, dot);
    String fraction = dot < 0 ? "" : text.substring(dot + 1);
    if (!allDigits(seconds) || seconds.length() > 12 || fraction.length() > 9) {
      throw new NotAuditException("bad time in audit(" + quote(text) + ")");
    }
    if (!fraction.isEmpty() && !allDigits(fraction)) {
      throw new NotAuditException("bad time in audit(" + quote(text) + ")");
    }
    long nanos = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "00000000").substring(0, 9));
    Instant t = Instant.ofEpochSecond(Long.parseLong(seconds), nanos);
    if (t.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
      throw new NotAuditException("time out of range in audit(" + quote(text) + ")");
    }
    return t;
  }

  /**
   * Reads {@code key=value} pairs into {@code out}: quoted with {@code "} or {@code '} or bare up
   * to white space or a quote; a {@code msg='...'} value is read as pairs itself (one level).
   * Anything that is not a pair (bare words, stray punctuation) is skipped.
   */
  private static void readPairs(String s, Map<String, String> out, boolean nested) {
    int n = s.length();
    int i = 0;
    String prefix = null;
    while (i < n) {
      char c = s.charAt(i);
      if (c == ' ' || c == ',' || c == '(' || c == '\t') {
        i++;
        continue;
      }
      int keyStart = i;
      while (i < n && keyChar(s.charAt(i))) {
        i++;
      }
      if (i == keyStart || i >= n || s.charAt(i) != '=') {
        // not a pair: skip the word (a bare word may prefix the next key)
        if (i == keyStart) {
          i++; // a stray character (quote, brace, colon): skip it alone
          continue;
        }
        String word = s.substring(keyStart, i);
        prefix = word.equals("old") || word.equals("new") ? word : null;
        while (i < n && !isSpace(s.charAt(i))) {
          i++;
        }
        continue;
      }
      String key = s.substring(keyStart, i);
      if (prefix != null) {
        key = prefix + "_" + key;
        prefix = null;
      }
      i++; // '='
      String value;
      boolean quoted = false;
      if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
        char q = s.charAt(i);
        int end = s.indexOf(q, i + 1);
        if (end < 0) {
          end = n;
        }
        value = s.substring(i + 1, end);
        i = Math.min(n, end + 1);
        quoted = true;
        if (q == '\'' && key.equals("msg") && nested) {
          readPairs(value, out, false);
          continue;
        }
      } else {
        int start = i;
        while (i < n && !isSpace(s.charAt(i)) && s.charAt(i) != '"' && s.charAt(i) != '\'') {
          i++;
        }
        value = s.substring(start, i);
        if (value.endsWith(",")) {
          value = value.substring(0, value.length() - 1); // "(hostname=?, addr=?, ..."
        }
        if (value.endsWith(")") && value.indexOf('(') < 0) {
          value = value.substring(0, value.length() - 1); // "... res=success)'"
        }
      }
      if (!quoted && (STRING_FIELDS.contains(key) || execveArgument(key))) {
        value = hexDecoded(value);
      }
      switch (value) {
        case "", "?", "(null)", "(none)" -> out.remove(key);
        default -> out.put(key, value);
      }
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean keyChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-'
        || c == '[' // EXECVE's a2[0]= for long arguments
        || c == ']';
  }

  /** {@code a0}, {@code a1}, ... of EXECVE (and SYSCALL, where they are numbers, never hex). */
  private static boolean execveArgument(String key) {
    return key.length() > 1 && key.charAt(0) == 'a' && allDigits(key.substring(1));
  }

  /**
   * The text a bare hex value encodes (NUL-separated parts joined with spaces, as proctitle's
   * argv), or the value itself when it is not hex.
   */
  static String hexDecoded(String value) {
    int n = value.length();
    if (n < 2 || n % 2 != 0) {
      return value;
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
        return value;
      }
    }
    byte[] bytes = new byte[n / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(value, 2 * i, 2 * i + 2, 16);
    }
    int len = bytes.length;
    while (len > 0 && bytes[len - 1] == 0) {
      len--;
    }
    for (int i = 0; i < len; i++) {
      if (bytes[i] == 0) {
        bytes[i] = ' ';
      }
    }
    return new String(bytes, 0, len, StandardCharsets.UTF_8);
  }

  private static boolean typeName(String t) {
    if (t.isEmpty() || t.length() > 40) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '[' || c == ']')) {
        return false;
      }
    }
    return true;
  }

  private static boolean allDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static String quote(String s) {
    return dev.trailwatch.ingest.Unparsed.quote(s);
  }

  private static Map<Integer, String> typesByNumber() {
    Map<Integer, String> m = new HashMap<>();
    m.put(1006, "LOGIN");
    String[] user = {
      "USER_AUTH",
      "USER_ACCT",
      "USER_MGMT",
      "CRED_ACQ",
      "CRED_DISP",
      "USER_START",
      "USER_END",
      "USER_AVC",
      "USER_CHAUTHTOK",
      "USER_ERR",
      "CRED_REFR",
      "USYS_CONFIG",
      "USER_LOGIN",
      "USER_LOGOUT",
      "ADD_USER",
      "DEL_USER",
      "ADD_GROUP",
      "DEL_GROUP",
      "DAC_CHECK",
      "CHGRP_ID",
      "TEST",
      "TRUSTED_APP",
      "USER_SELINUX_ERR",
      "USER_CMD",
      "USER_TTY",
      "CHUSER_ID",
      "GRP_AUTH",
      "SYSTEM_BOOT",
      "SYSTEM_SHUTDOWN",
      "SYSTEM_RUNLEVEL",
      "SERVICE_START",
      "SERVICE_STOP",
      "GRP_MGMT",
      "GRP_CHAUTHTOK",
      "MAC_CHECK",
      "ACCT_LOCK",
      "ACCT_UNLOCK"
    };
    for (int i = 0; i < user.length; i++) {
      m.put(1100 + i, user[i]);
    }
    m.put(1300, "SYSCALL");
    m.put(1302, "PATH");
    m.put(1305, "CONFIG_CHANGE");
    m.put(1306, "SOCKADDR");
    m.put(1307, "CWD");
    m.put(1309, "EXECVE");
    m.put(1319, "TTY");
    m.put(1320, "EOE");
    m.put(1326, "SECCOMP");
    m.put(1327, "PROCTITLE");
    m.put(1400, "AVC");
    String[] anom = {
      "ANOM_LOGIN_FAILURES",
      "ANOM_LOGIN_TIME",
      "ANOM_LOGIN_SESSIONS",
      "ANOM_LOGIN_ACCT",
      "ANOM_LOGIN_LOCATION"
    };
    for (int i = 0; i < anom.length; i++) {
      m.put(2100 + i, anom[i]);
    }
    m.put(2300, "USER_ROLE_CHANGE");
    m.put(2301, "ROLE_ASSIGN");
    m.put(2302, "ROLE_REMOVE");
    return Map.copyOf(m);
  }
}
