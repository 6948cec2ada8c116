package dev.trailwatch.ingest.parse;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.InvalidEventException;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.ingest.ParseContext;
import dev.trailwatch.ingest.RecordParser;
import dev.trailwatch.ingest.Unparsed;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Linux audit records ({@link AuditdRecord} reads their forms), one event per record: the records
 * of one multi-record event (SYSCALL, EXECVE, CWD, PATH... with one serial) stay separate events
 * that share {@code labels.auditd.serial} and {@code @timestamp}.
 *
 * <p>As a {@link RecordParser} (format {@code auditd}) it reads {@code /var/log/audit/audit.log}
 * lines, and also syslog lines carrying records (their header's time and host are used when the
 * record has none). As a {@link ProgramParser} it reads the records that audispd, audisp-syslog and
 * journald forward through syslog (programs {@code audit}, {@code auditd}, {@code audispd}, {@code
 * audisp-syslog}).
 *
 * <p>Every event: {@code event.action} is the record type in lower case ({@code user_login}),
 * {@code @timestamp} from {@code audit(EPOCH.MS:SERIAL)}, {@code labels.auditd.serial}, {@code
 * event.outcome} from {@code res=} or {@code success=} ({@code success}/{@code yes}/{@code 1} or
 * {@code failed}/{@code no}/{@code 0}; {@code unknown} without), {@code source.ip} from {@code
 * addr=} (a name there goes to {@code labels.source.address}), {@code session.id} from {@code ses=}
 * when set, {@code host.name} from {@code node=}, {@code labels.process.executable} from {@code
 * exe=} and, for user-space records, {@code service.name} from its file name ({@code sshd}).
 *
 * <p>Who acted depends on the kind of record (docs/parsers/sudo-su-auditd.md has the full table):
 *
 * <ul>
 *   <li>Logins, authentication, credentials and sessions (USER_AUTH, USER_ACCT, USER_LOGIN,
 *       USER_LOGOUT, USER_START, USER_END, USER_ERR, CRED_*, ANOM_LOGIN_*, USER_ROLE_CHANGE): the
 *       account being logged in: {@code user.name} from {@code acct=} (placeholders such as {@code
 *       (invalid user)} are kept as {@code labels.auditd.acct} only), {@code user.id} from {@code
 *       id=}, else the audit uid {@code auid=} when set. The process's {@code uid=} (sshd's 0) is
 *       not the user and stays a label.
 *   <li>LOGIN: {@code user.id} is the new audit uid, {@code session.id} the new session.
 *   <li>Everything else (account management, USER_CMD, SYSCALL, configuration...): the actor is
 *       {@code auid=} when set, else {@code uid=}; {@code user.name} is the enriched name of that
 *       id ({@code AUID=}/{@code UID=}). Account and group management name their target in {@code
 *       resource.type} ({@code user}/{@code group}) and {@code resource.id} ({@code acct=}, else
 *       {@code id=}).
 * </ul>
 *
 * <p>{@code auid=4294967295} (and {@code -1}, {@code unset}) means no audit uid. A record that
 * names no actor at all (EXECVE, PATH, CWD, PROCTITLE, SOCKADDR, most AVC...) is stored as unparsed
 * with its time and {@code auditd.serial}, so that it can still be found with its event's records.
 *
 * <p>Thread-safe and stateless.
 */
public final class AuditdParser implements RecordParser, ProgramParser {
  private static final String DATASET = "auditd";
  private static final String UNSET_ID = "4294967295";

  /** How the record's actor is found. */
  private enum Kind {
    /** The account logging in or authenticating is the user. */
    SUBJECT,
    /** LOGIN: the new audit uid. */
    LOGIN,
    /** The process's audit uid, else its uid, acted. */
    ACTOR,
    /** As ACTOR, and the record names a user account changed. */
    IAM_USER,
    /** As ACTOR, and the record names a group changed. */
    IAM_GROUP
  }

  /** What a record type maps to: category (null: none) and kind. */
  private record Mapping(String category, Kind kind) {}

  private static final Map<String, Mapping> TYPES = types();

  private static Map<String, Mapping> types() {
    Map<String, Mapping> m = new LinkedHashMap<>();
    for (String t :
        List.of(
            "USER_AUTH",
            "USER_ACCT",
            "USER_LOGIN",
            "USER_ERR",
            "CRED_ACQ",
            "CRED_DISP",
            "CRED_REFR",
            "GRP_AUTH",
            "ANOM_LOGIN_FAILURES",
            "ANOM_LOGIN_TIME",
            "ANOM_LOGIN_SESSIONS",
            "ANOM_LOGIN_ACCT",
            "ANOM_LOGIN_LOCATION")) {
      m.put(t, new Mapping("authentication", Kind.SUBJECT));
    }
    for (String t : List.of("USER_START", "USER_END", "USER_LOGOUT")) {
      m.put(t, new Mapping("session", Kind.SUBJECT));
    }
    m.put("USER_ROLE_CHANGE", new Mapping("iam", Kind.SUBJECT));
    m.put("LOGIN", new Mapping("session", Kind.LOGIN));
    for (String t :
        List.of(
            "ADD_USER", "DEL_USER", "USER_MGMT", "USER_CHAUTHTOK", "ACCT_LOCK", "ACCT_UNLOCK")) {
      m.put(t, new Mapping("iam", Kind.IAM_USER));
    }
    for (String t : List.of("ADD_GROUP", "DEL_GROUP", "GRP_MGMT", "GRP_CHAUTHTOK")) {
      m.put(t, new Mapping("iam", Kind.IAM_GROUP));
    }
    for (String t : List.of("ROLE_ASSIGN", "ROLE_REMOVE", "CHUSER_ID", "CHGRP_ID")) {
      m.put(t, new Mapping("iam", Kind.ACTOR));
    }
    for (String t : List.of("USER_CMD", "SYSCALL", "EXECVE", "PATH", "TTY", "USER_TTY")) {
      m.put(t, new Mapping("process", Kind.ACTOR));
    }
    for (String t : List.of("CONFIG_CHANGE", "USYS_CONFIG", "DAEMON_CONFIG", "MAC_CONFIG_CHANGE")) {
      m.put(t, new Mapping("configuration", Kind.ACTOR));
    }
    return Map.copyOf(m);
  }

  @Override
  public String format() {
    return DATASET;
  }

  @Override
  public List<String> programs() {
    // "audit" first: the format named after the first program is the syslog one; "auditd" is
    // this parser's own format for audit.log lines.
    return List.of("audit", "auditd", "audispd", "audisp-syslog");
  }

  @Override
  public String dataset() {
    return DATASET;
  }

  @Override
  public Optional<AccessEvent.Builder> parse(SyslogMessage message) {
    try {
      return map(AuditdRecord.read(message.text())).event();
    } catch (AuditdRecord.NotAuditException e) {
      return Optional.empty();
    }
  }

  @Override
  public void parse(String record, ParseContext context, Consumer<AccessEvent> out) {
    String text = record;
    Instant fallbackTime = context.receivedAt();
    String fallbackHost = null;
    String trimmed = record.stripLeading();
    if (!trimmed.startsWith("type=") && !trimmed.startsWith("node=")) {
      // A syslog line carrying a record (audispd, audisp-syslog, journald)?
      try {
        SyslogMessage m = SyslogParser.parse(record, context);
        text = m.text();
        fallbackTime = m.timestamp().orElse(fallbackTime);
        fallbackHost = m.hostname().orElse(null);
      } catch (SyslogParser.SyslogFormatException | RuntimeException e) {
        // not syslog either: read it as it is, and report why that fails
      }
    }
    AuditdRecord r;
    try {
      r = AuditdRecord.read(text);
    } catch (AuditdRecord.NotAuditException e) {
      out.accept(Unparsed.of(record, "auditd: " + e.getMessage(), context));
      return;
    }
    Mapped mapped = map(r);
    Instant time = r.time().orElse(fallbackTime);
    String host = r.node().orElse(fallbackHost);
    if (mapped.event().isEmpty()) {
      out.accept(Unparsed.of(record, mapped.problem(), time, host, null, mapped.labels()));
      return;
    }
    AccessEvent.Builder b = mapped.event().get().dataset(DATASET).message(record);
    b.timestamp(time);
    if (host != null) {
      b.hostName(host);
    }
    try {
      out.accept(b.build());
    } catch (InvalidEventException e) {
      out.accept(Unparsed.of(record, "auditd: " + e.getMessage(), time, host, null, Map.of()));
    }
  }

  /** An event, or why there is none and the labels worth keeping on the unparsed event. */
  private record Mapped(
      Optional<AccessEvent.Builder> event, String problem, Map<String, String> labels) {}

  private static Mapped map(AuditdRecord r) {
    Map<String, String> f = r.fields();
    Mapping mapping = TYPES.getOrDefault(r.type(), new Mapping(null, Kind.ACTOR));
    AccessEvent.Builder b =
        AccessEvent.builder()
            .action(r.type().toLowerCase(java.util.Locale.ROOT))
            .category(mapping.category())
            .outcome(outcome(r));
    r.time().ifPresent(b::timestamp);
    r.node().ifPresent(b::hostName);
    r.serial().ifPresent(s -> b.label("auditd.serial", Long.toString(s)));

    String auid = f.get("auid");
    if (auid != null && unset(auid)) {
      auid = null;
    }
    String uid = f.get("uid");
    String acct = f.get("acct");
    String account = acct != null && realName(acct) ? acct : null;
    switch (mapping.kind()) {
      case SUBJECT -> {
        String id = f.get("id");
        b.userName(account).userId(id != null ? id : auid);
        if (account == null) {
          b.userName(
              id != null ? r.enriched().get("ID") : auid != null ? r.enriched().get("AUID") : null);
        }
        if (acct != null && account == null) {
          b.label("auditd.acct", acct);
        }
        b.label("auditd.uid", uid);
      }
      case LOGIN -> {
        String newAuid = f.getOrDefault("new_auid", auid);
        if (newAuid != null && unset(newAuid)) {
          newAuid = null;
        }
        b.userId(newAuid).userName(newAuid == null ? null : r.enriched().get("AUID"));
        b.label("auditd.uid", uid);
        String old = f.getOrDefault("old-auid", f.get("old_auid"));
        b.label("auditd.old_auid", old);
      }
      case ACTOR, IAM_USER, IAM_GROUP -> {
        b.userId(auid != null ? auid : uid)
            .userName(auid != null ? r.enriched().get("AUID") : r.enriched().get("UID"));
        if (auid != null && uid != null && !uid.equals(auid)) {
          b.label("auditd.uid", uid);
        }
        if (mapping.kind() != Kind.ACTOR) {
          String target = acct != null ? acct : f.get("id");
          if (target != null) {
            b.resourceType(mapping.kind() == Kind.IAM_USER ? "user" : "group").resourceId(target);
          }
        }
      }
    }

    String addr = f.get("addr");
    if (addr != null) {
      Optional<IpAddress> ip = IpAddress.tryParse(addr);
      if (ip.isPresent()) {
        b.sourceIp(ip.get());
      } else {
        b.label("source.address", addr);
      }
    }
    String ses = f.get("ses");
    if (mapping.kind() == Kind.LOGIN) {
      ses = f.getOrDefault("new-ses", f.getOrDefault("new_ses", ses));
    }
    if (ses != null && !unset(ses)) {
      b.sessionId(ses);
    }
    String exe = f.get("exe");
    b.label("process.executable", exe);
    boolean userSpace = f.containsKey("terminal") || f.containsKey("op") || f.containsKey("res");
    if (exe != null && userSpace && !r.type().equals("SYSCALL")) {
      int slash = exe.lastIndexOf('/');
      String base = exe.substring(slash + 1);
      if (!base.isEmpty()) {
        b.serviceName(base);
      }
    }
    b.label("auditd.op", f.get("op"));
    b.label("auditd.hostname", f.get("hostname"));
    b.label("auditd.terminal", f.get("terminal"));
    switch (r.type()) {
      case "USER_CMD" -> {
        b.label("auditd.cmd", f.get("cmd"));
        b.label("auditd.cwd", f.get("cwd"));
      }
      case "SYSCALL" -> {
        b.label("auditd.syscall", f.get("syscall"));
        b.label("auditd.arch", f.get("arch"));
        b.label("auditd.comm", f.get("comm"));
        b.label("auditd.euid", f.get("euid"));
        b.label("auditd.tty", f.get("tty"));
        String key = f.get("key");
        b.label("auditd.key", key == null ? null : key.replace('\u0001', ','));
      }
      case "EXECVE" -> b.label("auditd.argv", argv(f));
      case "PATH" -> b.label("auditd.path", f.get("name"));
      case "USER_ROLE_CHANGE" -> b.label("auditd.selected_context", f.get("selected-context"));
      default -> {}
    }

    if (!b.has(dev.trailwatch.event.Field.USER_NAME)
        && !b.has(dev.trailwatch.event.Field.USER_ID)
        && !b.has(dev.trailwatch.event.Field.SOURCE_IP)) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("auditd.record_type", r.type());
      r.serial().ifPresent(s -> labels.put("auditd.serial", Long.toString(s)));
      if (r.type().equals("EXECVE")) {
        String argv = argv(f);
        if (argv != null) {
          labels.put("auditd.argv", argv);
        }
      }
      return new Mapped(
          Optional.empty(),
          "auditd: "
              + r.type()
              + " record names no actor (no acct, id, auid, uid or addr)"
              + r.serial().stream()
                  .mapToObj(s -> "; its event's serial is " + s)
                  .findFirst()
                  .orElse(""),
          labels);
    }
    return new Mapped(Optional.of(b), "", Map.of());
  }

  private static Outcome outcome(AuditdRecord r) {
    if (r.type().equals("ANOM_LOGIN_FAILURES")) {
      return Outcome.FAILURE; // the limit of failed logins was reached; res= says it was recorded
    }
    String v = r.fields().get("success");
    if (v == null) {
      v = r.fields().get("res");
    }
    if (v == null) {
      return Outcome.UNKNOWN;
    }
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "success", "yes", "1" -> Outcome.SUCCESS;
      case "failed", "fail", "failure", "no", "0" -> Outcome.FAILURE;
      default -> Outcome.UNKNOWN;
    };
  }

  private static boolean unset(String id) {
    return id.equals(UNSET_ID) || id.equals("-1") || id.equals("unset");
  }

  /** A user name, not a placeholder such as {@code (invalid user)}, {@code (unknown)}. */
  private static boolean realName(String acct) {
    return !acct.startsWith("(") && SuParser.word(acct);
  }

  /** EXECVE's arguments {@code a0 a1 ...} joined with spaces, null when there are none. */
  private static String argv(Map<String, String> f) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      String a = f.get("a" + i);
      if (a == null) {
        break;
      }
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(a);
    }
    return sb.isEmpty() ? null : sb.toString();
  }
}
