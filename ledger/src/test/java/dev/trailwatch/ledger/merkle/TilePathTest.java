package dev.trailwatch.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TilePathTest {

  @Test
  void examplesFromTheSpecification() {
    // c2sp.org/tlog-tiles: "index 1234067 will be encoded as x001/x234/067".
    assertThat(TilePath.path(0, 1234067, 256)).isEqualTo("tile/0/x001/x234/067");
    assertThat(TilePath.path(1, 0, 12)).isEqualTo("tile/1/000.p/12");
    // The example of tessera's api/layout EntriesPath(1234067, 8).
    assertThat(TilePath.entriesPath(1234067, 8)).isEqualTo("tile/entries/x001/x234/067.p/8");
    assertThat(TilePath.entriesPath(0, 256)).isEqualTo("tile/entries/000");
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0, 256, tile/0/000",
    "0, 5, 256, tile/0/005",
    "0, 999, 256, tile/0/999",
    "0, 1000, 256, tile/0/x001/000",
    "3, 1000000, 1, tile/3/x001/x000/000.p/1",
    "63, 7, 255, tile/63/007.p/255",
    "2, 9223372036854775807, 256, tile/2/x009/x223/x372/x036/x854/x775/807",
  })
  void pathsAndTheirParse(int level, long index, int width, String path) {
    assertThat(TilePath.path(level, index, width)).isEqualTo(path);
    assertThat(TilePath.parse(path)).isEqualTo(new TilePath.Tile(level, index, width));
    assertThat(new TilePath.Tile(level, index, width).path()).isEqualTo(path);
  }

  @Test
  void parseInvertsPathForRandomTiles() {
    SplittableRandom random = TestSeed.random(40);
    for (int i = 0; i < 10_000; i++) {
      int level = random.nextInt(TilePath.MAX_LEVEL + 1);
      // Indexes of every decimal length, from 1 to 19 digits.
      long index = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(64);
      int width = random.nextBoolean() ? TilePath.FULL_WIDTH : random.nextInt(1, 257);
      TilePath.Tile tile = new TilePath.Tile(level, index, width);
      String path = TilePath.path(level, index, width);
      assertThat(TilePath.parse(path)).as("seed %d, %s", TestSeed.SEED, path).isEqualTo(tile);
      String entries = TilePath.entriesPath(index, width);
      assertThat(TilePath.parseEntries(entries))
          .as("seed %d, %s", TestSeed.SEED, entries)
          .isEqualTo(new TilePath.Tile(0, index, width));
      assertThat(tile.isPartial()).isEqualTo(width < 256);
      assertThat(path.endsWith(".p/" + width)).isEqualTo(width < 256);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "tile",
        "tile/",
        "tile/0",
        "tile/0/",
        "/tile/0/000",
        "tile/0/000/",
        "tiles/0/000",
        "Tile/0/000",
        "tile/00/000", // level with a leading zero
        "tile/01/000",
        "tile/-1/000",
        "tile/64/000", // level above 63
        "tile/100/000",
        "tile/a/000",
        "tile/0/00", // groups of three digits
        "tile/0/0000",
        "tile/0/x000", // the last group has no x
        "tile/0/001/002", // every other group has one
        "tile/0/X001/002",
        "tile/0/x001/x02/003",
        "tile/0/x000/001", // leading zero group: not canonical
        "tile/0/x000/x001/002",
        "tile/0/x009/x223/x372/x036/x854/x775/808", // Long.MAX_VALUE + 1
        "tile/0/x001/x000/x000/x000/x000/x000/x000/000", // 22 digits
        "tile/0/+12",
        "tile/0/1 2",
        "tile/0/\u0661\u0662\u0663", // Arabic-Indic digits
        "tile/0/000.p",
        "tile/0/000.p/",
        "tile/0/000.p/0",
        "tile/0/000.p/012",
        "tile/0/000.p/256", // a full tile has no .p
        "tile/0/000.p/1000",
        "tile/0/000.p/12/",
        "tile/0/000.q/12",
        "tile/0/000p/12",
        "tile/0/000.p/-1",
        "tile/entries/000", // an entry bundle is not a tile
        " tile/0/000",
        "tile/0/000 ",
      })
  void parseRejectsMalformedPaths(String path) {
    assertThatThrownBy(() -> TilePath.parse(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + path + "\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tile/entries",
        "tile/entries/",
        "tile/entries/00",
        "tile/entries/x000/001",
        "tile/entries/000.p/0",
        "tile/entries/000.p/256",
        "tile/0/000", // a tile is not an entry bundle
        "tile/entries/0/000",
      })
  void parseEntriesRejectsMalformedPaths(String path) {
    assertThatThrownBy(() -> TilePath.parseEntries(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + path + "\"");
  }

  @Test
  void rejectionsSayWhy() {
    assertThatThrownBy(() -> TilePath.parse("tile/64/000"))
        .hasMessage("tile level 64 is above 63 in \"tile/64/000\"");
    assertThatThrownBy(() -> TilePath.parse("tile/0/x000/001"))
        .hasMessage("tile index has a leading zero group (not canonical) in \"tile/0/x000/001\"");
    assertThatThrownBy(() -> TilePath.parse("tile/0/000.p/256"))
        .hasMessage("partial tile width 256 is not 1 to 255 in \"tile/0/000.p/256\"");
    assertThatThrownBy(() -> TilePath.path(0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tile width must be 1 to 256, got 0");
    assertThatThrownBy(() -> TilePath.path(0, -1, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tile index must not be negative, got -1");
    assertThatThrownBy(() -> TilePath.entriesPath(0, 257))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tile width must be 1 to 256, got 257");
    assertThatThrownBy(() -> new TilePath.Tile(64, 0, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tile level must be 0 to 63, got 64");
  }

  @Test
  void partialWidthsOfTheSpecificationExamples() {
    // "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0
    // tile of width 112, one full level 1 tile, one partial level 1 tile of width 17, and one
    // partial level 2 tile of width 1."
    assertThat(TilePath.partialWidth(0, 70_000)).isEqualTo(112);
    assertThat(TilePath.partialWidth(1, 70_000)).isEqualTo(17);
    assertThat(TilePath.partialWidth(2, 70_000)).isEqualTo(1);
    assertThat(TilePath.partialWidth(3, 70_000)).isZero();
    // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile
    // of width 1."
    assertThat(TilePath.partialWidth(0, 256)).isZero();
    assertThat(TilePath.partialWidth(1, 256)).isEqualTo(1);
    // Shifts of 64 and more must not wrap around.
    assertThat(TilePath.partialWidth(7, Long.MAX_VALUE)).isEqualTo(127);
    assertThat(TilePath.partialWidth(8, Long.MAX_VALUE)).isZero();
    assertThat(TilePath.partialWidth(63, Long.MAX_VALUE)).isZero();
  }

  @Test
  void tileOfANodeCoversTheNode() {
    assertThat(TilePath.tileLevelOf(0)).isZero();
    assertThat(TilePath.tileIndexOf(0, 1234067)).isEqualTo(4820);
    assertThat(TilePath.tileLevelOf(7)).isZero(); // recomputed inside level-0 tile 0
    assertThat(TilePath.tileIndexOf(7, 1)).isZero();
    assertThat(TilePath.tileLevelOf(8)).isEqualTo(1); // the stored row of level-1 tiles
    assertThat(TilePath.tileIndexOf(8, 300)).isEqualTo(1);

    SplittableRandom random = TestSeed.random(41);
    for (int i = 0; i < 10_000; i++) {
      int level = random.nextInt(63);
      long index = random.nextLong(1L << (62 - level));
      int tileLevel = TilePath.tileLevelOf(level);
      long tileIndex = TilePath.tileIndexOf(level, index);
      // Leaves [index * 2^level, +2^level) lie in the tile's leaves [N * 256^(L+1), +256^(L+1)).
      BigInteger nodeStart = BigInteger.valueOf(index).shiftLeft(level);
      BigInteger nodeEnd = BigInteger.valueOf(index + 1).shiftLeft(level);
      BigInteger tileStart = BigInteger.valueOf(tileIndex).shiftLeft(8 * (tileLevel + 1));
      BigInteger tileEnd = BigInteger.valueOf(tileIndex + 1).shiftLeft(8 * (tileLevel + 1));
      assertThat(tileStart.compareTo(nodeStart) <= 0 && nodeEnd.compareTo(tileEnd) <= 0)
          .as(
              "seed %d, node (%d, %d) in tile (%d, %d)",
              TestSeed.SEED, level, index, tileLevel, tileIndex)
          .isTrue();
      // and the tile's stored row is at or below the node.
      assertThat(8 * tileLevel).isLessThanOrEqualTo(level).isGreaterThan(level - 8);
    }
  }
}
