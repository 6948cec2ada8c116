package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One end of a connection: {@code source.*} or {@code destination.*}.
 *
 * @param ip the address
 * @param port the TCP/UDP port, 0-65535
 */
public record Endpoint(Optional<IpAddress> ip, OptionalInt port) {
  /** Neither address nor port. */
  public static final Endpoint NONE = new Endpoint(Optional.empty(), OptionalInt.empty());

  public Endpoint {
    requireNonNull(ip, "ip");
    requireNonNull(port, "port");
    if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65_535)) {
      throw new IllegalArgumentException("port " + port.getAsInt() + " is out of range 0..65535");
    }
  }

  /** An address with a port. */
  public static Endpoint of(IpAddress ip, int port) {
    return new Endpoint(Optional.of(ip), OptionalInt.of(port));
  }

  /** True when neither address nor port is set. */
  public boolean isEmpty() {
    return ip.isEmpty() && port.isEmpty();
  }
}
