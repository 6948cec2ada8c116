package dev.trailwatch.ingest.file;

import java.nio.file.Path;

class MemoryPositionStoreTest extends PositionStoreContract {
  @Override
  PositionStore newStore(Path directory) {
    return new MemoryPositionStore();
  }
}
