package dev.trailwatch.event.sample;

import dev.trailwatch.event.IpAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The population events are drawn from: users, client addresses (some of them attackers) and
 * servers. Built once from the generator's random stream; immutable afterwards.
 */
final class World {

  /** A human user and what they use. */
  record User(
      String name,
      String id,
      String iamId,
      List<String> roles,
      String tenant,
      int[] homes,
      boolean ssh,
      boolean cloud,
      boolean kubernetes,
      boolean sudoer) {}

  final User[] users;
  final IpAddress[] addresses;
  final int[] attackers;
  private final boolean[] isAttacker;
  private final IpAddress[] sshHostIps;

  World(SplitMix64 rng, GeneratorConfig config) {
    addresses = new IpAddress[config.addresses()];
    isAttacker = new boolean[addresses.length];
    Set<IpAddress> seen = new HashSet<>();
    int attackerCount = Math.max(3, addresses.length * 3 / 200);
    attackers = new int[attackerCount];
    int attackersChosen = 0;
    for (int i = 0; i < addresses.length; i++) {
      IpAddress a;
      boolean external;
      do {
        double kind = rng.nextDouble();
        external = kind >= 0.30;
        a = kind < 0.30 ? internalV4(rng) : kind < 0.88 ? externalV4(rng) : externalV6(rng);
      } while (!seen.add(a));
      addresses[i] = a;
      // Attackers come from outside; spread their indices over the table.
      if (external && attackersChosen < attackerCount && rng.chance(0.04)) {
        attackers[attackersChosen++] = i;
        isAttacker[i] = true;
      }
    }
    for (int i = addresses.length - 1; attackersChosen < attackerCount; i--) {
      if (!isAttacker[i]) {
        attackers[attackersChosen++] = i;
        isAttacker[i] = true;
      }
    }
    users = new User[config.users()];
    Set<String> names = new HashSet<>();
    for (int i = 0; i < users.length; i++) {
      String base = rng.pick(Vocabulary.FIRST_NAMES) + "." + rng.pick(Vocabulary.LAST_NAMES);
      String name = base;
      for (int n = 2; !names.add(name); n++) {
        name = base + n;
      }
      String role = Vocabulary.ROLES[rng.weighted(Vocabulary.ROLE_WEIGHTS)];
      List<String> roles =
          rng.chance(0.25)
              ? List.of(role, Vocabulary.ROLES[rng.weighted(Vocabulary.ROLE_WEIGHTS)])
              : List.of(role);
      if (roles.size() == 2 && roles.get(0).equals(roles.get(1))) {
        roles = List.of(role);
      }
      boolean technical =
          roles.contains("developer")
              || roles.contains("sre")
              || roles.contains("admin")
              || roles.contains("dba")
              || roles.contains("release-manager")
              || roles.contains("security");
      int homeCount = 1 + (rng.chance(0.4) ? 1 : 0) + (rng.chance(0.1) ? 1 : 0);
      int[] homes = new int[homeCount];
      for (int h = 0; h < homeCount; h++) {
        homes[h] = nonAttacker(rng);
      }
      users[i] =
          new User(
              name,
              "u" + (100_000 + i),
              "AIDA" + rng.chars(Vocabulary.UPPER_ALNUM, 16),
              roles,
              rng.pick(Vocabulary.TENANTS),
              homes,
              technical || rng.chance(0.05),
              technical ? rng.chance(0.8) : rng.chance(0.15),
              technical && rng.chance(0.7),
              (roles.contains("sre") || roles.contains("admin") || roles.contains("dba"))
                  || (technical && rng.chance(0.2)));
    }
    sshHostIps = serverIps(Vocabulary.SSH_HOSTS.length, 10, 0);
  }

  /**
   * A user, most activity from few users: index = n·u³ puts about half of all events on the most
   * active fifth of users.
   */
  User user(SplitMix64 rng) {
    double u = rng.nextDouble();
    return users[(int) (users.length * u * u * u)];
  }

  /** A user who passes {@code wanted}, or after a few tries any user. */
  User user(SplitMix64 rng, java.util.function.Predicate<User> wanted) {
    for (int tries = 0; tries < 8; tries++) {
      User u = user(rng);
      if (wanted.test(u)) {
        return u;
      }
    }
    return user(rng);
  }

  /** Where {@code user} connects from: mostly a home address, sometimes anywhere. */
  IpAddress addressOf(User user, SplitMix64 rng) {
    if (rng.chance(0.92)) {
      return addresses[user.homes()[rng.nextInt(user.homes().length)]];
    }
    return addresses[nonAttacker(rng)];
  }

  /** Any address that is not an attacker's. */
  IpAddress anyClient(SplitMix64 rng) {
    return addresses[nonAttacker(rng)];
  }

  IpAddress attacker(SplitMix64 rng) {
    return addresses[attackers[rng.nextInt(attackers.length)]];
  }

  IpAddress sshHostIp(int host) {
    return sshHostIps[host];
  }

  private int nonAttacker(SplitMix64 rng) {
    while (true) {
      int i = rng.nextInt(addresses.length);
      if (!isAttacker[i]) {
        return i;
      }
    }
  }

  private static IpAddress[] serverIps(int count, int first, int subnet) {
    IpAddress[] out = new IpAddress[count];
    for (int i = 0; i < count; i++) {
      out[i] = IpAddress.ofBytes(new byte[] {(byte) first, 0, (byte) subnet, (byte) (10 + i)});
    }
    return out;
  }

  private static IpAddress internalV4(SplitMix64 rng) {
    double k = rng.nextDouble();
    if (k < 0.6) {
      return v4(10, rng.nextInt(32), rng.nextInt(256), 1 + rng.nextInt(254));
    }
    if (k < 0.85) {
      return v4(172, 16 + rng.nextInt(16), rng.nextInt(256), 1 + rng.nextInt(254));
    }
    return v4(192, 168, rng.nextInt(8), 1 + rng.nextInt(254));
  }

  private static IpAddress externalV4(SplitMix64 rng) {
    while (true) {
      int a = 1 + rng.nextInt(223);
      int b = rng.nextInt(256);
      boolean reserved =
          a == 10
              || a == 100 && b >= 64 && b < 128
              || a == 127
              || a == 169 && b == 254
              || a == 172 && b >= 16 && b < 32
              || a == 192 && b == 168;
      if (!reserved) {
        return v4(a, b, rng.nextInt(256), 1 + rng.nextInt(254));
      }
    }
  }

  private static final int[][] V6_PREFIXES = {
    {0x2001, 0x0db8},
    {0x2a02, 0x8108},
    {0x2600, 0x1f18},
    {0x2a00, 0x1450},
    {0x2406, 0xda18},
    {0x2003, 0x00e2}
  };

  private static IpAddress externalV6(SplitMix64 rng) {
    int[] prefix = V6_PREFIXES[rng.nextInt(V6_PREFIXES.length)];
    int[] g = new int[8];
    g[0] = prefix[0];
    g[1] = prefix[1];
    g[2] = rng.nextInt(0x10000);
    g[3] = rng.chance(0.5) ? rng.nextInt(0x100) << 8 : rng.nextInt(0x10000);
    if (rng.chance(0.5)) {
      // SLAAC-like interface id
      for (int k = 4; k < 8; k++) {
        g[k] = rng.nextInt(0x10000);
      }
    } else {
      // A short, manually assigned host part: leaves zero groups to compress.
      g[7] = 1 + rng.nextInt(0xfff);
    }
    byte[] b = new byte[16];
    for (int k = 0; k < 8; k++) {
      b[2 * k] = (byte) (g[k] >>> 8);
      b[2 * k + 1] = (byte) g[k];
    }
    return IpAddress.ofBytes(b);
  }

  private static IpAddress v4(int a, int b, int c, int d) {
    return IpAddress.ofBytes(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
  }
}
