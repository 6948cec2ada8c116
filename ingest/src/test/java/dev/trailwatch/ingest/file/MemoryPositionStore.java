package dev.trailwatch.ingest.file;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Positions in memory; after {@link #freeze()} saves are dropped, as a crash would. */
final class MemoryPositionStore implements PositionStore {
  private final Map<String, Position> saved = new ConcurrentHashMap<>();
  private volatile boolean frozen;

  @Override
  public Optional<Position> load(String path) {
    return Optional.ofNullable(saved.get(path));
  }

  @Override
  public void save(Position position) {
    if (!frozen) {
      saved.put(position.path(), position);
    }
  }

  /** Drops every later save: the process "crashes" before saving them. */
  void freeze() {
    frozen = true;
  }
}
