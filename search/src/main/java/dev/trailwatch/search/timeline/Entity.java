package dev.trailwatch.search.timeline;

import static java.util.Objects.requireNonNull;

import dev.trailwatch.event.IpAddress;
import dev.trailwatch.search.index.IndexFields;
import dev.trailwatch.search.query.Words;
import java.util.List;
import java.util.Optional;

/**
 * Who or what a timeline is about: {@code user.name:alice}, {@code user.id:1000}, {@code
 * source.ip:10.1.2.3} (IPv4 or IPv6) or {@code host.name:web-1}.
 *
 * @param kind which field names the entity
 * @param value the value, exact and case-sensitive; an address in its normal form
 */
public record Entity(Kind kind, String value) {
  public Entity {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
  }

  /** How an event can involve an entity; the name is the reason a timeline gives. */
  public enum Role {
    /** It did it: {@code user.name}, {@code user.id}. */
    ACTOR("actor"),
    /** It came from there: {@code source.ip}. */
    SOURCE("source"),
    /** It was done to it: the account, address or host acted on. */
    TARGET("target");

    private final String reason;

    Role(String reason) {
      this.reason = reason;
    }

    /** The reason a timeline gives for an event that involves the entity in this role. */
    public String reason() {
      return reason;
    }
  }

  /**
   * The fields that name an entity, and the fields in which each role finds it. Targets are the
   * schema's fields for what was acted on ({@code resource.id}, {@code destination.ip}, {@code
   * host.name}) and the labels the parsers give the account acted on ({@code sudo.run_as}, {@code
   * su.target_user}, {@code okta.target_user}; docs/PARSERS.md).
   */
  public enum Kind {
    USER_NAME(
        IndexFields.USER_NAME,
        false,
        List.of(IndexFields.USER_NAME),
        List.of(),
        List.of(
            IndexFields.RESOURCE_ID,
            IndexFields.label("sudo.run_as"),
            IndexFields.label("su.target_user"),
            IndexFields.label("okta.target_user"))),
    USER_ID(
        IndexFields.USER_ID,
        false,
        List.of(IndexFields.USER_ID),
        List.of(),
        List.of(IndexFields.RESOURCE_ID, IndexFields.label("okta.target_user"))),
    SOURCE_IP(
        IndexFields.SOURCE_IP,
        true,
        List.of(),
        List.of(IndexFields.SOURCE_IP),
        List.of(IndexFields.DESTINATION_IP)),
    HOST_NAME(IndexFields.HOST_NAME, false, List.of(), List.of(), List.of(IndexFields.HOST_NAME));

    private final String field;
    private final boolean ip;
    private final List<List<String>> byRole;

    Kind(String field, boolean ip, List<String> actor, List<String> source, List<String> target) {
      this.field = field;
      this.ip = ip;
      this.byRole = List.of(actor, source, target);
    }

    /** The field that names the entity: {@code user.name} in {@code user.name:alice}. */
    public String field() {
      return field;
    }

    /** Whether the entity is an address, and every field of its roles an IP field. */
    public boolean ip() {
      return ip;
    }

    /** The fields in which an event involves the entity in {@code role}; may be empty. */
    public List<String> fields(Role role) {
      return byRole.get(role.ordinal());
    }

    static Optional<Kind> of(String field) {
      for (Kind k : values()) {
        if (k.field.equals(field)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * Reads {@code field:value}.
   *
   * @throws IllegalArgumentException saying what is wrong and what to write instead
   */
  public static Entity parse(String text) {
    int colon = text.indexOf(':');
    String accepted = "user.name:NAME, user.id:ID, source.ip:ADDRESS or host.name:NAME";
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "expected field:value, one of " + accepted + ", like user.name:alice");
    }
    String field = text.substring(0, colon);
    String value = text.substring(colon + 1);
    Kind kind =
        Kind.of(field)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "'" + Words.shorten(field) + "' cannot name an entity; use " + accepted));
    if (value.isEmpty()) {
      throw new IllegalArgumentException("no value after '" + field + ":'");
    }
    if (kind.ip()) {
      Optional<IpAddress> address = IpAddress.tryParse(value);
      if (address.isEmpty()) {
        throw new IllegalArgumentException(
            "'"
                + Words.shorten(value)
                + "' is not an IPv4 or IPv6 address, like 10.1.2.3 or 2001:db8::7");
      }
      value = address.get().toString();
    }
    return new Entity(kind, value);
  }

  /** The address, for an entity of kind {@link Kind#SOURCE_IP}. */
  public Optional<IpAddress> address() {
    return kind.ip() ? Optional.of(IpAddress.parse(value)) : Optional.empty();
  }

  @Override
  public String toString() {
    return kind.field() + ":" + value;
  }
}
