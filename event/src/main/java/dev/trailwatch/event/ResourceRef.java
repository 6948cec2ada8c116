package dev.trailwatch.event;

import java.util.Optional;

/**
 * What was accessed: {@code resource.*}.
 *
 * @param type {@code resource.type}: {@code table}, {@code bucket}, {@code pods}, ...
 * @param id {@code resource.id}: the name or id of the accessed thing
 */
public record ResourceRef(Optional<String> type, Optional<String> id) {
  /** No resource fields. */
  public static final ResourceRef NONE = new ResourceRef(Optional.empty(), Optional.empty());

  public ResourceRef {
    Checks.keyword(Field.RESOURCE_TYPE, type);
    Checks.keyword(Field.RESOURCE_ID, id);
  }

  /** True when no resource field is set. */
  public boolean isEmpty() {
    return type.isEmpty() && id.isEmpty();
  }
}
