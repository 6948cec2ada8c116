package dev.trailwatch.ledger;

import java.nio.file.Path;

/**
 * Where things live in a data directory.
 *
 * <pre>
 * DIR/LEDGER             format version and origin (checked at every open)
 * DIR/lock               the single-writer lock
 * DIR/segments/*.seg     records, see {@link SegmentFormat}
 * DIR/tiles/level-N      Merkle tiles of tile level N, packed, see {@link TileFiles}
 * DIR/checkpoints        every signed checkpoint, appended, blank-line separated
 * DIR/keys/signing.key   the Ed25519 signer key (owner-only), keys/signing.pub the public key
 * DIR/cursors/NAME       consumer positions
 * DIR/index/             the search index (module search; its cursor is in its own commits)
 * </pre>
 */
final class Layout {
  static final String VERSION_FILE = "LEDGER";
  static final String LOCK = "lock";
  static final String SEGMENTS = "segments";
  static final String TILES = "tiles";
  static final String CHECKPOINTS = "checkpoints";
  static final String KEYS = "keys";
  static final String CURSORS = "cursors";

  private Layout() {}

  static Path segments(Path dir) {
    return dir.resolve(SEGMENTS);
  }

  static Path tiles(Path dir) {
    return dir.resolve(TILES);
  }

  static Path checkpoints(Path dir) {
    return dir.resolve(CHECKPOINTS);
  }

  static Path keys(Path dir) {
    return dir.resolve(KEYS);
  }

  static Path cursors(Path dir) {
    return dir.resolve(CURSORS);
  }
}
