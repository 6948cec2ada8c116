package dev.trailwatch.event;

import java.util.List;
import java.util.Optional;

/**
 * The {@code user.*} fields: the actor.
 *
 * @param name {@code user.name}
 * @param id {@code user.id}
 * @param roles {@code user.roles}, in the order given; empty when absent; an immutable copy
 */
public record UserInfo(Optional<String> name, Optional<String> id, List<String> roles) {
  /** No user fields. */
  public static final UserInfo NONE = new UserInfo(Optional.empty(), Optional.empty(), List.of());

  public UserInfo {
    Checks.keyword(Field.USER_NAME, name);
    Checks.keyword(Field.USER_ID, id);
    roles = List.copyOf(roles);
    for (String role : roles) {
      Checks.keyword(Field.USER_ROLES, role);
    }
  }

  /** True when no user field is set. */
  public boolean isEmpty() {
    return name.isEmpty() && id.isEmpty() && roles.isEmpty();
  }
}
