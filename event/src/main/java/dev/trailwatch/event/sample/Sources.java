package dev.trailwatch.event.sample;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.event.Outcome;
import dev.trailwatch.event.sample.World.User;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Makes the events of each simulated source: normal traffic, and the attack bursts that {@link
 * EventGenerator} interleaves with it. Messages imitate each source's own log line. Not thread-safe
 * (shares the generator's random stream).
 */
final class Sources {
  /** Kinds of normal traffic and their shares. */
  enum Kind {
    WEB,
    APP,
    CLOUD,
    KUBERNETES,
    SSHD,
    SUDO
  }

  private static final double[] KIND_WEIGHTS = SplitMix64.cumulative(31, 20, 11, 9, 20, 9);

  /** An attack in progress. */
  static final class Burst {
    enum Type {
      SSH_BRUTE_FORCE,
      WEB_SCAN,
      CREDENTIAL_STUFFING,
      CONSOLE_BRUTE_FORCE
    }

    final Type type;
    final IpAddress attacker;
    final int target;
    final double share;
    int remaining;
    final boolean endsInSuccess;

    Burst(Type type, IpAddress attacker, int target, int length, double share, boolean success) {
      this.type = type;
      this.attacker = attacker;
      this.target = target;
      this.remaining = length;
      this.share = share;
      this.endsInSuccess = success;
    }
  }

  private static final double[] BURST_WEIGHTS = SplitMix64.cumulative(40, 35, 15, 10);

  private final SplitMix64 rng;
  private final World world;

  Sources(SplitMix64 rng, World world) {
    this.rng = rng;
    this.world = world;
  }

  AccessEvent normal(Instant t) {
    return switch (Kind.values()[rng.weighted(KIND_WEIGHTS)]) {
      case WEB -> web(t);
      case APP -> app(t);
      case CLOUD -> cloud(t);
      case KUBERNETES -> kubernetes(t);
      case SSHD -> sshd(t);
      case SUDO -> sudo(t);
    };
  }

  Burst newBurst() {
    Burst.Type type = Burst.Type.values()[rng.weighted(BURST_WEIGHTS)];
    return switch (type) {
      case SSH_BRUTE_FORCE ->
          new Burst(
              type,
              world.attacker(rng),
              rng.nextInt(Vocabulary.SSH_HOSTS.length),
              rng.between(150, 800),
              0.5,
              rng.chance(0.08));
      case WEB_SCAN ->
          new Burst(
              type,
              world.attacker(rng),
              rng.nextInt(Vocabulary.WEB_HOSTS.length),
              rng.between(100, 600),
              0.6,
              false);
      case CREDENTIAL_STUFFING ->
          new Burst(
              type,
              world.attacker(rng),
              rng.nextInt(Vocabulary.APP_SERVICES.length),
              rng.between(150, 600),
              0.4,
              false);
      case CONSOLE_BRUTE_FORCE ->
          new Burst(
              type,
              world.attacker(rng),
              rng.nextInt(3),
              rng.between(20, 80),
              0.3,
              rng.chance(0.05));
    };
  }

  AccessEvent attack(Burst burst, Instant t) {
    boolean last = burst.remaining == 1;
    return switch (burst.type) {
      case SSH_BRUTE_FORCE -> sshAttack(burst, t, last);
      case WEB_SCAN -> webScan(burst, t);
      case CREDENTIAL_STUFFING -> credentialStuffing(burst, t);
      case CONSOLE_BRUTE_FORCE -> consoleBruteForce(burst, t, last);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // sshd

  private AccessEvent sshd(Instant t) {
    int host = rng.nextInt(Vocabulary.SSH_HOSTS.length);
    if (rng.chance(0.04)) {
      // Background noise: a single guess from the internet.
      return sshGuess(t, world.attacker(rng), host, rng.pick(Vocabulary.ATTACK_USERNAMES));
    }
    User user = world.user(rng, User::ssh);
    IpAddress ip = world.addressOf(user, rng);
    int port = rng.between(32_768, 60_999);
    int pid = rng.between(1_000, 99_999);
    boolean publickey = rng.chance(0.75);
    AccessEvent.Builder b = ssh(t, host, ip, port, pid).userName(user.name());
    if (rng.chance(0.15)) {
      return b.action("logout")
          .outcome(Outcome.SUCCESS)
          .message(
              "sshd["
                  + pid
                  + "]: Disconnected from user "
                  + user.name()
                  + " "
                  + ip
                  + " port "
                  + port)
          .build();
    }
    boolean ok = rng.chance(publickey ? 0.99 : 0.93);
    String method = publickey ? "publickey" : "password";
    String line =
        (ok ? "Accepted " : "Failed ")
            + method
            + " for "
            + user.name()
            + " from "
            + ip
            + " port "
            + port
            + " ssh2"
            + (publickey && ok
                ? ": "
                    + rng.pick(Vocabulary.SSH_KEY_TYPES)
                    + " SHA256:"
                    + rng.chars(Vocabulary.BASE64, 43)
                : "");
    return b.action("login")
        .outcome(ok ? Outcome.SUCCESS : Outcome.FAILURE)
        .message("sshd[" + pid + "]: " + line)
        .label("ssh.method", method)
        .build();
  }

  private AccessEvent sshAttack(Burst burst, Instant t, boolean last) {
    if (last && burst.endsInSuccess) {
      User victim = world.user(rng, User::ssh);
      int port = rng.between(1_024, 65_535);
      int pid = rng.between(1_000, 99_999);
      return ssh(t, burst.target, burst.attacker, port, pid)
          .userName(victim.name())
          .action("login")
          .outcome(Outcome.SUCCESS)
          .message(
              "sshd["
                  + pid
                  + "]: Accepted password for "
                  + victim.name()
                  + " from "
                  + burst.attacker
                  + " port "
                  + port
                  + " ssh2")
          .label("ssh.method", "password")
          .build();
    }
    String name =
        rng.chance(0.9)
            ? rng.pick(Vocabulary.ATTACK_USERNAMES)
            : world.users[rng.nextInt(world.users.length)].name();
    return sshGuess(t, burst.attacker, burst.target, name);
  }

  private AccessEvent sshGuess(Instant t, IpAddress ip, int host, String name) {
    int port = rng.between(1_024, 65_535);
    int pid = rng.between(1_000, 99_999);
    boolean invalid = !name.equals("root") && !name.contains(".");
    return ssh(t, host, ip, port, pid)
        .userName(name)
        .action("login")
        .outcome(Outcome.FAILURE)
        .message(
            "sshd["
                + pid
                + "]: Failed password for "
                + (invalid ? "invalid user " : "")
                + name
                + " from "
                + ip
                + " port "
                + port
                + " ssh2")
        .label("ssh.method", "password")
        .build();
  }

  private AccessEvent.Builder ssh(Instant t, int host, IpAddress ip, int port, int pid) {
    return AccessEvent.builder()
        .timestamp(t)
        .category("authentication")
        .dataset("sshd")
        .sourceIp(ip)
        .sourcePort(port)
        .destinationIp(rng.chance(0.3) ? world.sshHostIp(host) : null)
        .destinationPort(22)
        .hostName(Vocabulary.SSH_HOSTS[host])
        .serviceName("sshd");
  }

  // ---------------------------------------------------------------------------------------------
  // nginx

  private AccessEvent web(Instant t) {
    int host = rng.nextInt(Vocabulary.WEB_HOSTS.length);
    User user = rng.chance(0.55) ? world.user(rng) : null;
    IpAddress ip = user != null ? world.addressOf(user, rng) : world.anyClient(rng);
    String template = rng.pick(Vocabulary.WEB_PATHS);
    String path = fill(template);
    boolean api = template.startsWith("/api/");
    String method = api ? rng.pick(Vocabulary.METHODS_FOR_API) : "GET";
    int status = webStatus(method, template);
    String agent =
        rng.chance(0.35) ? rng.pick(Vocabulary.BROWSER_AGENTS) : rng.pick(Vocabulary.TOOL_AGENTS);
    return webEvent(t, host, ip, user == null ? null : user.name(), method, path, status, agent);
  }

  private AccessEvent webScan(Burst burst, Instant t) {
    String path =
        rng.chance(0.8) ? rng.pick(Vocabulary.SCANNER_PATHS) : "/" + rng.hex(rng.between(4, 10));
    double r = rng.nextDouble();
    int status = r < 0.85 ? 404 : r < 0.95 ? 403 : r < 0.98 ? 400 : 200;
    return webEvent(
        t,
        burst.target,
        burst.attacker,
        null,
        rng.chance(0.9) ? "GET" : "POST",
        path,
        status,
        Vocabulary.SCANNER_AGENTS[burst.target % Vocabulary.SCANNER_AGENTS.length]);
  }

  private AccessEvent webEvent(
      Instant t,
      int host,
      IpAddress ip,
      String userName,
      String method,
      String path,
      int status,
      String agent) {
    int bytes = status == 304 || status == 204 ? 0 : rng.between(150, status < 400 ? 48_000 : 600);
    String line =
        ip
            + " - "
            + (userName == null ? "-" : userName)
            + " ["
            + clf(t)
            + "] \""
            + method
            + " "
            + path
            + " HTTP/1.1\" "
            + status
            + " "
            + bytes;
    AccessEvent.Builder b =
        AccessEvent.builder()
            .timestamp(t)
            .action("http_request")
            .outcome(status < 400 ? Outcome.SUCCESS : Outcome.FAILURE)
            .category("web")
            .dataset("nginx.access")
            .userName(userName)
            .sourceIp(ip)
            .hostName(Vocabulary.WEB_HOSTS[host])
            .urlPath(path)
            .httpMethod(method)
            .httpStatusCode(status)
            .userAgent(agent)
            .message(line);
    if (rng.chance(0.15)) {
      b.traceId(rng.hex(32));
    }
    return b.build();
  }

  private int webStatus(String method, String template) {
    double r = rng.nextDouble();
    if (r < 0.015) {
      return 404;
    }
    if (r < 0.027) {
      return 401;
    }
    if (r < 0.035) {
      return 403;
    }
    if (r < 0.042) {
      return 400;
    }
    if (r < 0.046) {
      return 500;
    }
    if (r < 0.049) {
      return 502;
    }
    if (r < 0.050) {
      return 503;
    }
    if (template.startsWith("/static/") || template.startsWith("/images/")) {
      return rng.chance(0.4) ? 304 : 200;
    }
    return switch (method) {
      case "POST" -> 201;
      case "DELETE" -> 204;
      default -> template.equals("/logout") ? 302 : 200;
    };
  }

  private String fill(String template) {
    int brace = template.indexOf('{');
    if (brace < 0) {
      return template;
    }
    String key = template.substring(brace, template.indexOf('}') + 1);
    String value = key.equals("{hex}") ? rng.hex(8) : Integer.toString(rng.between(1, 999_999));
    return template.replace(key, value);
  }

  /** Common Log Format time, e.g. {@code 22/Nov/2026:05:42:00 +0000}. */
  private static String clf(Instant t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder s = new StringBuilder(26);
    two(s, d.getDayOfMonth()).append('/').append(Vocabulary.MONTHS[d.getMonthValue() - 1]);
    s.append('/').append(d.getYear()).append(':');
    two(s, d.getHour()).append(':');
    two(s, d.getMinute()).append(':');
    two(s, d.getSecond()).append(" +0000");
    return s.toString();
  }

  private static StringBuilder two(StringBuilder s, int v) {
    return s.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  // ---------------------------------------------------------------------------------------------
  // Application logins

  private AccessEvent app(Instant t) {
    User user = world.user(rng);
    int service = rng.nextInt(Vocabulary.APP_SERVICES.length);
    IpAddress ip = world.addressOf(user, rng);
    double r = rng.nextDouble();
    String method = r < 0.5 ? "sso" : r < 0.85 ? "password" : "webauthn";
    AccessEvent.Builder b =
        appEvent(t, service, ip, user.tenant())
            .userName(user.name())
            .userId(user.id())
            .userRoles(user.roles())
            .sessionId(rng.chars(Vocabulary.BASE64.substring(0, 62), 22))
            .label("auth.method", method);
    if (rng.chance(0.15)) {
      return b.action("logout").outcome(Outcome.SUCCESS).message("logout " + user.name()).build();
    }
    boolean ok = rng.chance(method.equals("password") ? 0.9 : 0.985);
    String reason = rng.chance(0.9) ? "invalid password" : "account locked";
    return b.action("login")
        .outcome(ok ? Outcome.SUCCESS : Outcome.FAILURE)
        .message(
            ok
                ? "login succeeded for " + user.name() + " via " + method
                : "login failed for " + user.name() + ": " + reason)
        .build();
  }

  private AccessEvent credentialStuffing(Burst burst, Instant t) {
    // Stuffing rotates through a few addresses of the same botnet.
    IpAddress ip = rng.chance(0.5) ? burst.attacker : world.attacker(rng);
    String name =
        rng.chance(0.6)
            ? world.users[rng.nextInt(world.users.length)].name()
            : rng.pick(Vocabulary.FIRST_NAMES) + rng.between(1, 9999) + "@mail.example.net";
    boolean ok = rng.chance(0.01);
    return appEvent(t, burst.target, ip, null)
        .userName(name)
        .action("login")
        .outcome(ok ? Outcome.SUCCESS : Outcome.FAILURE)
        .label("auth.method", "password")
        .message(
            ok
                ? "login succeeded for " + name + " via password"
                : "login failed for " + name + ": invalid password")
        .build();
  }

  private AccessEvent.Builder appEvent(Instant t, int service, IpAddress ip, String tenant) {
    return AccessEvent.builder()
        .timestamp(t)
        .category("authentication")
        .dataset("app.auth")
        .sourceIp(ip)
        .serviceName(Vocabulary.APP_SERVICES[service])
        .userAgent(rng.chance(0.5) ? rng.pick(Vocabulary.BROWSER_AGENTS) : null)
        .tenant(tenant);
  }

  // ---------------------------------------------------------------------------------------------
  // CloudTrail

  private static final String[] CLOUD_ACTIONS = {
    "GetObject",
    "PutObject",
    "ListBuckets",
    "AssumeRole",
    "ConsoleLogin",
    "DescribeInstances",
    "GetSecretValue",
    "CreateAccessKey",
    "AttachRolePolicy"
  };
  private static final double[] CLOUD_WEIGHTS =
      SplitMix64.cumulative(35, 10, 5, 20, 8, 12, 6, 1, 0.6);

  private AccessEvent cloud(Instant t) {
    User user = world.user(rng, User::cloud);
    String action = CLOUD_ACTIONS[rng.weighted(CLOUD_WEIGHTS)];
    IpAddress ip = world.addressOf(user, rng);
    boolean privileged = user.roles().contains("admin") || user.roles().contains("sre");
    double failureRate =
        switch (action) {
          case "ConsoleLogin" -> 0.04;
          case "CreateAccessKey", "AttachRolePolicy" -> privileged ? 0.02 : 0.5;
          case "GetSecretValue" -> 0.05;
          default -> 0.015;
        };
    boolean ok = !rng.chance(failureRate);
    return cloudEvent(t, action, user.name(), user.iamId(), ip, ok, rng.nextInt(3));
  }

  private AccessEvent consoleBruteForce(Burst burst, Instant t, boolean last) {
    boolean ok = last && burst.endsInSuccess;
    return cloudEvent(t, "ConsoleLogin", "root", null, burst.attacker, ok, burst.target);
  }

  private AccessEvent cloudEvent(
      Instant t, String action, String name, String iamId, IpAddress ip, boolean ok, int account) {
    String accountId = Vocabulary.AWS_ACCOUNTS[account];
    String region = rng.pick(Vocabulary.AWS_REGIONS);
    String service;
    String category;
    String resourceType = null;
    String resourceId = null;
    String target = "";
    switch (action) {
      case "GetObject", "PutObject" -> {
        service = "s3.amazonaws.com";
        category = "file";
        String bucket = rng.pick(Vocabulary.BUCKETS);
        String key = rng.pick(Vocabulary.OBJECT_PREFIXES) + rng.hex(6) + ".json.gz";
        resourceType = "s3.object";
        resourceId = "arn:aws:s3:::" + bucket + "/" + key;
        target = " s3://" + bucket + "/" + key;
      }
      case "ListBuckets" -> {
        service = "s3.amazonaws.com";
        category = "file";
      }
      case "AssumeRole", "AttachRolePolicy" -> {
        service = action.equals("AssumeRole") ? "sts.amazonaws.com" : "iam.amazonaws.com";
        category = "iam";
        resourceType = "iam.role";
        resourceId = "arn:aws:iam::" + accountId + ":role/" + rng.pick(Vocabulary.IAM_ROLES);
        target = " " + resourceId;
      }
      case "CreateAccessKey" -> {
        service = "iam.amazonaws.com";
        category = "iam";
        resourceType = "iam.user";
        resourceId = "arn:aws:iam::" + accountId + ":user/" + name;
        target = " " + resourceId;
      }
      case "GetSecretValue" -> {
        service = "secretsmanager.amazonaws.com";
        category = "iam";
        resourceType = "secretsmanager.secret";
        resourceId =
            "arn:aws:secretsmanager:"
                + region
                + ":"
                + accountId
                + ":secret:prod/"
                + rng.pick(Vocabulary.K8S_APPS)
                + "-"
                + rng.chars(Vocabulary.BASE64.substring(0, 52), 6);
        target = " " + resourceId;
      }
      case "ConsoleLogin" -> {
        service = "signin.amazonaws.com";
        category = "authentication";
      }
      default -> {
        service = "ec2.amazonaws.com";
        category = "host";
      }
    }
    String error =
        ok ? "" : action.equals("ConsoleLogin") ? ": Failed authentication" : ": AccessDenied";
    return AccessEvent.builder()
        .timestamp(t)
        .eventId(rng.uuid())
        .action(action)
        .outcome(ok ? Outcome.SUCCESS : Outcome.FAILURE)
        .category(category)
        .dataset("cloudtrail")
        .userName(name)
        .userId(iamId)
        .sourceIp(ip)
        .serviceName(service)
        .userAgent(
            action.equals("ConsoleLogin")
                ? "console.amazonaws.com"
                : rng.pick(Vocabulary.CLOUD_AGENTS))
        .resourceType(resourceType)
        .resourceId(resourceId)
        .message(action + target + error)
        .label("cloud.account.id", accountId)
        .label("cloud.region", region)
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Kubernetes audit

  private static final String[] VERBS = {
    "get", "list", "watch", "create", "update", "delete", "exec"
  };
  private static final double[] VERB_WEIGHTS = SplitMix64.cumulative(40, 25, 5, 10, 8, 8, 4);
  private static final String[] CLUSTERS = {"prod-eu-1", "prod-us-1", "staging-1"};

  private AccessEvent kubernetes(Instant t) {
    boolean serviceAccount = rng.chance(0.4);
    String namespace = rng.pick(Vocabulary.K8S_NAMESPACES);
    String userName;
    List<String> groups;
    IpAddress ip;
    if (serviceAccount) {
      String app = rng.pick(Vocabulary.K8S_APPS);
      userName = "system:serviceaccount:" + namespace + ":" + app;
      groups = List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace);
      ip =
          IpAddress.ofBytes(
              new byte[] {10, (byte) 244, (byte) rng.nextInt(16), (byte) rng.between(2, 250)});
    } else {
      User user = world.user(rng, User::kubernetes);
      userName = user.name() + "@" + Vocabulary.DOMAIN[0];
      groups = List.of("system:authenticated", user.roles().get(0));
      ip = world.addressOf(user, rng);
    }
    String verb = VERBS[rng.weighted(VERB_WEIGHTS)];
    String resource = verb.equals("exec") ? "pods" : rng.pick(Vocabulary.K8S_RESOURCES);
    String name =
        rng.pick(Vocabulary.K8S_APPS)
            + (resource.equals("pods") ? "-" + rng.hex(9) + "-" + rng.hex(5) : "");
    boolean collection = verb.equals("list") || verb.equals("watch") || verb.equals("create");
    String api =
        resource.equals("deployments")
            ? "/apis/apps/v1"
            : resource.equals("jobs")
                ? "/apis/batch/v1"
                : resource.equals("rolebindings")
                    ? "/apis/rbac.authorization.k8s.io/v1"
                    : "/api/v1";
    String uri =
        api
            + "/namespaces/"
            + namespace
            + "/"
            + resource
            + (collection ? "" : "/" + name)
            + (verb.equals("exec") ? "/exec" : "");
    String method =
        switch (verb) {
          case "create", "exec" -> "POST";
          case "update" -> "PUT";
          case "delete" -> "DELETE";
          default -> "GET";
        };
    double r = rng.nextDouble();
    boolean sensitive = resource.equals("secrets") || verb.equals("exec") || verb.equals("delete");
    int status =
        r < (sensitive ? 0.06 : 0.012)
            ? 403
            : r < (sensitive ? 0.08 : 0.03) && !collection
                ? 404
                : verb.equals("create") ? 201 : 200;
    String cluster = CLUSTERS[Math.floorMod(namespace.hashCode(), CLUSTERS.length)];
    return AccessEvent.builder()
        .timestamp(t)
        .eventId(rng.uuid())
        .action(verb)
        .outcome(status < 400 ? Outcome.SUCCESS : Outcome.FAILURE)
        .category("api")
        .dataset("kubernetes.audit")
        .userName(userName)
        .userRoles(groups)
        .sourceIp(ip)
        .hostName(cluster)
        .serviceName("kube-apiserver")
        .urlPath(uri)
        .httpMethod(method)
        .httpStatusCode(status)
        .userAgent(rng.pick(Vocabulary.K8S_AGENTS))
        .resourceType(resource)
        .resourceId(collection ? namespace : namespace + "/" + name)
        .message(
            verb
                + " "
                + resource
                + " "
                + (collection ? namespace : namespace + "/" + name)
                + ": "
                + status)
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // sudo

  private AccessEvent sudo(Instant t) {
    User user = world.user(rng, User::sudoer);
    int host = rng.nextInt(Vocabulary.SSH_HOSTS.length);
    String command = rng.pick(Vocabulary.SUDO_COMMANDS);
    String tty = "pts/" + rng.nextInt(8);
    boolean ok = user.sudoer() ? rng.chance(0.985) : rng.chance(0.3);
    String problem = user.sudoer() ? "3 incorrect password attempts ; " : "user NOT in sudoers ; ";
    return AccessEvent.builder()
        .timestamp(t)
        .action("sudo")
        .outcome(ok ? Outcome.SUCCESS : Outcome.FAILURE)
        .category("process")
        .dataset("sudo")
        .userName(user.name())
        .hostName(Vocabulary.SSH_HOSTS[host])
        .serviceName("sudo")
        .message(
            user.name()
                + " : "
                + (ok ? "" : problem)
                + "TTY="
                + tty
                + " ; PWD=/home/"
                + user.name()
                + " ; USER=root ; COMMAND="
                + command)
        .label("sudo.command", command)
        .build();
  }
}
