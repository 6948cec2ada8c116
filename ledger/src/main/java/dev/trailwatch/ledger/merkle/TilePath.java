package dev.trailwatch.ledger.merkle;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tile coordinates and paths of C2SP tlog-tiles (https://c2sp.org/tlog-tiles).
 *
 * <p>A tile has height {@value #HEIGHT}: the tile at level L and index N is the row of up to
 * {@value #FULL_WIDTH} consecutive hashes of tree level {@code 8 * L} starting at node {@code N *
 * 256}, and stands for the subtree of height 8 above them. Its path is {@code
 * tile/<L>/<N>[.p/<W>]}: L in decimal without leading zeros, N in zero-padded groups of three
 * digits, all but the last prefixed with {@code x} (1234067 is {@code x001/x234/067}), and {@code
 * .p/<W>} only for a partial tile of width W in 1..255. Entry bundles use {@code
 * tile/entries/<N>[.p/<W>]} and hold the entries whose leaf hashes form level-0 tile N.
 *
 * <p>Paths are relative: they never start with a slash or a URL prefix.
 */
public final class TilePath {

  /** The number of tree levels a tile spans. */
  public static final int HEIGHT = 8;

  /** The number of hashes in a full tile, and of entries in a full bundle. */
  public static final int FULL_WIDTH = 1 << HEIGHT;

  /** The highest tile level a path may name. */
  public static final int MAX_LEVEL = 63;

  private static final String INDEX = "((?:x[0-9]{3}/)*[0-9]{3})";
  private static final String WIDTH = "(?:\\.p/([1-9][0-9]{0,2}))?";
  private static final Pattern TILE = Pattern.compile("tile/(0|[1-9][0-9]?)/" + INDEX + WIDTH);
  private static final Pattern ENTRIES = Pattern.compile("tile/entries/" + INDEX + WIDTH);

  private TilePath() {}

  /**
   * A tile, or an entry bundle, by its coordinates. An entry bundle has the coordinates of the
   * level-0 tile that holds its leaf hashes.
   *
   * @param level the tile level, 0 to {@value TilePath#MAX_LEVEL}
   * @param index the index of the tile within its level, not negative
   * @param width the number of hashes (or entries), 1 to {@value TilePath#FULL_WIDTH}; below 256
   *     the tile is partial
   */
  public record Tile(int level, long index, int width) {

    /** Validates the coordinates. */
    public Tile {
      requireLevel(level);
      requireIndex(index);
      requireWidth(width);
    }

    /** Returns whether this tile has fewer than {@value TilePath#FULL_WIDTH} hashes. */
    public boolean isPartial() {
      return width < FULL_WIDTH;
    }

    /** Returns {@code tile/<L>/<N>[.p/<W>]}. */
    public String path() {
      return TilePath.path(level, index, width);
    }
  }

  /**
   * Returns {@code tile/<tileLevel>/<N>[.p/<width>]}, for example {@code tile/0/x001/x234/067} for
   * a full tile at level 0, index 1234067, and {@code tile/1/000.p/12} for a partial tile of width
   * 12 at level 1, index 0.
   *
   * @throws IllegalArgumentException unless tileLevel is 0 to 63, tileIndex is not negative and
   *     width is 1 to 256
   */
  public static String path(int tileLevel, long tileIndex, int width) {
    requireLevel(tileLevel);
    requireIndex(tileIndex);
    requireWidth(width);
    return "tile/" + tileLevel + "/" + encode(tileIndex, width);
  }

  /**
   * Returns {@code tile/entries/<N>[.p/<width>]}, the bundle of the entries whose leaf hashes form
   * level-0 tile {@code tileIndex}.
   *
   * @throws IllegalArgumentException unless tileIndex is not negative and width is 1 to 256
   */
  public static String entriesPath(long tileIndex, int width) {
    requireIndex(tileIndex);
    requireWidth(width);
    return "tile/entries/" + encode(tileIndex, width);
  }

  /**
   * Parses a tile path as {@link #path} writes it. Only the canonical form is accepted, so {@code
   * path(parse(p))} equals {@code p}.
   *
   * @throws IllegalArgumentException if {@code path} is not a tile path (an entry bundle path is
   *     not one), with the reason
   */
  public static Tile parse(String path) {
    requireNonNull(path, "path");
    Matcher m = TILE.matcher(path);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a tile path, expected tile/<L>/<N>[.p/<W>]: \"" + path + "\"");
    }
    int level = Integer.parseInt(m.group(1));
    if (level > MAX_LEVEL) {
      throw new IllegalArgumentException(
          "tile level " + level + " is above " + MAX_LEVEL + " in \"" + path + "\"");
    }
    return new Tile(level, decodeIndex(m.group(2), path), decodeWidth(m.group(3), path));
  }

  /**
   * Parses an entry bundle path as {@link #entriesPath} writes it, and returns the coordinates of
   * its level-0 tile. Only the canonical form is accepted.
   *
   * @throws IllegalArgumentException if {@code path} is not an entry bundle path, with the reason
   */
  public static Tile parseEntries(String path) {
    requireNonNull(path, "path");
    Matcher m = ENTRIES.matcher(path);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not an entry bundle path, expected tile/entries/<N>[.p/<W>]: \"" + path + "\"");
    }
    return new Tile(0, decodeIndex(m.group(1), path), decodeWidth(m.group(2), path));
  }

  /**
   * Returns the level of the tiles that hold node level {@code nodeLevel}: {@code nodeLevel / 8}.
   * Levels {@code 8 * L} are the stored rows of level-L tiles; the levels between are recomputed
   * from those rows.
   *
   * @throws IllegalArgumentException unless nodeLevel is 0 to 63
   */
  public static int tileLevelOf(int nodeLevel) {
    requireNodeLevel(nodeLevel);
    return nodeLevel / HEIGHT;
  }

  /**
   * Returns the index of the tile at {@link #tileLevelOf tileLevelOf(nodeLevel)} that holds node
   * (nodeLevel, nodeIndex), stored or recomputed: {@code nodeIndex >>> (8 - nodeLevel % 8)}.
   *
   * @throws IllegalArgumentException unless nodeLevel is 0 to 63 and nodeIndex is not negative
   */
  public static long tileIndexOf(int nodeLevel, long nodeIndex) {
    requireNodeLevel(nodeLevel);
    if (nodeIndex < 0) {
      throw new IllegalArgumentException("node index must not be negative, got " + nodeIndex);
    }
    return nodeIndex >>> (HEIGHT - nodeLevel % HEIGHT);
  }

  /**
   * Returns the width of the partial tile at {@code tileLevel} of a tree of {@code treeSize}
   * leaves, {@code floor(treeSize / 256^tileLevel) mod 256}, or 0 if that level has no partial
   * tile. A tree of 70,000 leaves has partial tiles of widths 112, 17 and 1 at levels 0, 1 and 2.
   *
   * @throws IllegalArgumentException unless tileLevel is 0 to 63 and treeSize is not negative
   */
  public static int partialWidth(int tileLevel, long treeSize) {
    requireLevel(tileLevel);
    if (treeSize < 0) {
      throw new IllegalArgumentException("tree size must not be negative, got " + treeSize);
    }
    int shift = HEIGHT * tileLevel;
    // Java reduces a long shift modulo 64, so shifts past the top must be cut off explicitly.
    return shift >= Long.SIZE ? 0 : (int) (treeSize >>> shift) & (FULL_WIDTH - 1);
  }

  private static String encode(long index, int width) {
    String digits = Long.toString(index);
    int padded = (digits.length() + 2) / 3 * 3;
    digits = "0".repeat(padded - digits.length()) + digits;
    StringBuilder out = new StringBuilder(padded / 3 * 5 + 8);
    for (int i = 0; i < padded; i += 3) {
      if (i + 3 < padded) {
        out.append('x').append(digits, i, i + 3).append('/');
      } else {
        out.append(digits, i, i + 3);
      }
    }
    if (width < FULL_WIDTH) {
      out.append(".p/").append(width);
    }
    return out.toString();
  }

  /** Decodes groups that the pattern has already checked to be x999/.../999. */
  private static long decodeIndex(String groups, String path) {
    String[] parts = groups.split("/");
    if (parts.length > 1 && parts[0].equals("x000")) {
      throw new IllegalArgumentException(
          "tile index has a leading zero group (not canonical) in \"" + path + "\"");
    }
    long index = 0;
    try {
      for (String part : parts) {
        int group = Integer.parseInt(part.startsWith("x") ? part.substring(1) : part);
        index = Math.addExact(Math.multiplyExact(index, 1000), group);
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "tile index is above " + Long.MAX_VALUE + " in \"" + path + "\"", e);
    }
    return index;
  }

  private static int decodeWidth(String width, String path) {
    if (width == null) {
      return FULL_WIDTH;
    }
    int w = Integer.parseInt(width);
    if (w >= FULL_WIDTH) {
      throw new IllegalArgumentException(
          "partial tile width " + w + " is not 1 to " + (FULL_WIDTH - 1) + " in \"" + path + "\"");
    }
    return w;
  }

  private static void requireLevel(int level) {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException("tile level must be 0 to " + MAX_LEVEL + ", got " + level);
    }
  }

  private static void requireNodeLevel(int level) {
    if (level < 0 || level >= Long.SIZE) {
      throw new IllegalArgumentException("node level must be 0 to 63, got " + level);
    }
  }

  private static void requireIndex(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("tile index must not be negative, got " + index);
    }
  }

  private static void requireWidth(int width) {
    if (width < 1 || width > FULL_WIDTH) {
      throw new IllegalArgumentException(
          "tile width must be 1 to " + FULL_WIDTH + ", got " + width);
    }
  }
}
