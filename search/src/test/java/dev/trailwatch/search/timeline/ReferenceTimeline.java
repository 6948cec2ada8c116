package dev.trailwatch.search.timeline;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.IpAddress;
import dev.trailwatch.search.query.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The timeline's meaning in plain Java over events in memory, written from its documentation (not
 * from {@link Entity.Kind}): which fields involve an entity in which role, one step to the
 * addresses and sessions of its own events, the window with both ends, time order, reasons.
 */
final class ReferenceTimeline {
  private final List<StoredEvent> events;

  ReferenceTimeline(List<StoredEvent> events) {
    this.events = events;
  }

  TimelineResult run(TimelineQuery q) {
    Instant from = q.around().minus(q.window());
    Instant to = q.around().plus(q.window());
    List<StoredEvent> window =
        events.stream()
            .filter(
                e -> !e.event().timestamp().isBefore(from) && !e.event().timestamp().isAfter(to))
            .toList();
    TreeSet<IpAddress> addresses = new TreeSet<>();
    TreeSet<String> sessions = new TreeSet<>();
    for (StoredEvent e : window) {
      if (!roles(q.entity(), e.event()).isEmpty()) {
        e.event().source().ip().ifPresent(addresses::add);
        e.event().correlation().sessionId().ifPresent(sessions::add);
      }
    }
    if (q.entity().kind() == Entity.Kind.SOURCE_IP) {
      addresses.remove(IpAddress.parse(q.entity().value()));
    }
    boolean pivotsTruncated =
        addresses.size() > Timeline.MAX_PIVOTS || sessions.size() > Timeline.MAX_PIVOTS;
    List<IpAddress> followedIps = addresses.stream().limit(Timeline.MAX_PIVOTS).toList();
    List<String> followedSessions = sessions.stream().limit(Timeline.MAX_PIVOTS).toList();
    List<TimelineResult.Hit> all = new ArrayList<>();
    for (StoredEvent e : window) {
      List<String> reasons = roles(q.entity(), e.event());
      if (reasons.isEmpty()) {
        Optional<IpAddress> ip = e.event().source().ip();
        if (ip.isPresent() && followedIps.contains(ip.get())) {
          reasons.add("same_ip:" + ip.get());
        }
        Optional<String> session = e.event().correlation().sessionId();
        if (session.isPresent() && followedSessions.contains(session.get())) {
          reasons.add("same_session:" + session.get());
        }
      }
      if (!reasons.isEmpty()) {
        all.add(new TimelineResult.Hit(e.seq(), e.event().timestamp(), reasons));
      }
    }
    all.sort(
        Comparator.comparing(TimelineResult.Hit::timestamp)
            .thenComparingLong(TimelineResult.Hit::seq));
    return new TimelineResult(
        all.subList(0, Math.min(q.limit(), all.size())),
        all.size(),
        followedIps,
        followedSessions,
        pivotsTruncated);
  }

  /** The roles in which {@code e} involves {@code entity}, in the order actor, source, target. */
  private static List<String> roles(Entity entity, AccessEvent e) {
    String v = entity.value();
    List<String> roles = new ArrayList<>();
    switch (entity.kind()) {
      case USER_NAME -> {
        add(roles, "actor", v, e.get("user.name"));
        add(
            roles,
            "target",
            v,
            e.get("resource.id"),
            e.get("labels.sudo.run_as"),
            e.get("labels.su.target_user"),
            e.get("labels.okta.target_user"));
      }
      case USER_ID -> {
        add(roles, "actor", v, e.get("user.id"));
        add(roles, "target", v, e.get("resource.id"), e.get("labels.okta.target_user"));
      }
      case SOURCE_IP -> {
        IpAddress ip = IpAddress.parse(v);
        if (e.source().ip().equals(Optional.of(ip))) {
          roles.add("source");
        }
        if (e.destination().ip().equals(Optional.of(ip))) {
          roles.add("target");
        }
      }
      case HOST_NAME -> add(roles, "target", v, e.get("host.name"));
    }
    return roles;
  }

  @SafeVarargs
  private static void add(List<String> roles, String role, String v, Optional<Object>... values) {
    boolean any = false;
    for (Optional<Object> value : values) {
      any |= value.equals(Optional.of(v));
    }
    if (any) {
      roles.add(role);
    }
  }
}
