package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The {@code event.*} fields: what happened and with what outcome.
 *
 * @param action {@code event.action}, required: {@code login}, {@code http_request}, ...
 * @param outcome {@code event.outcome}, required
 * @param category {@code event.category}: {@code authentication}, {@code web}, ...
 * @param dataset {@code event.dataset}: the parser that produced the event ({@code sshd}, ...)
 * @param id {@code event.id}: the source's own id of the event, if it has one
 */
public record EventInfo(
    String action,
    Outcome outcome,
    Optional<String> category,
    Optional<String> dataset,
    Optional<String> id) {
  public EventInfo {
    Checks.keyword(Field.EVENT_ACTION, requireNonNull(action, "action"));
    requireNonNull(outcome, "outcome");
    Checks.keyword(Field.EVENT_CATEGORY, category);
    Checks.keyword(Field.EVENT_DATASET, dataset);
    Checks.keyword(Field.EVENT_ID, id);
  }

  /** Action and outcome only. */
  public static EventInfo of(String action, Outcome outcome) {
    return new EventInfo(action, outcome, Optional.empty(), Optional.empty(), Optional.empty());
  }
}
