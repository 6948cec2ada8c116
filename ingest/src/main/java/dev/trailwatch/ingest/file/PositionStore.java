package dev.trailwatch.ingest.file;

import java.io.IOException;
import java.util.Optional;

/**
 * Where {@link FileTailer}s keep their {@linkplain Position positions} between runs, one per
 * followed path. A tailer saves a position only once the batch that ends there is durable in the
 * sink, so a saved position never runs ahead of what was stored (it can lag behind it: see {@link
 * FileTailer#fromStoredEvents}).
 *
 * <p>Implementations must be safe for concurrent use by tailers of different paths; each path has
 * one tailer.
 */
public interface PositionStore {
  /** The position last saved for {@code path}; empty when none was. */
  Optional<Position> load(String path) throws IOException;

  /** Saves {@code position} for its path, replacing the previous one: all or nothing. */
  void save(Position position) throws IOException;
}
