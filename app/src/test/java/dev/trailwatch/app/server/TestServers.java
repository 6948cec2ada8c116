package dev.trailwatch.app.server;

/** Server configurations for tests in any package. */
public final class TestServers {
  private TestServers() {}

  /** HTTP on a free loopback port with 1 MiB bodies, no syslog, defaults otherwise. */
  public static ServerConfig loopback() {
    return new ServerConfig(
        new ServerConfig.Http("127.0.0.1", 0, 1L << 20),
        new ServerConfig.Syslog(null, -1, -1, null, null, null, null),
        null,
        null,
        null,
        null,
        null);
  }
}
