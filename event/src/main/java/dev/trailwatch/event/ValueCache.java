package dev.trailwatch.event;

import java.util.Arrays;

/**
 * Reuses the strings and IP addresses of repeated values (actions, datasets, user names, hosts,
 * user agents, client addresses, ...) across the events one decoder reads: no new object when a
 * value was seen recently, and fewer copies of the same text held in memory downstream.
 *
 * <p>Direct-mapped: a value goes to the slot its hash picks and replaces what was there, so the
 * cache has a fixed size and needs no eviction policy; a miss only costs the object that would have
 * been made anyway. A hit compares the full text, so a value is never confused with another. Not
 * thread-safe: one cache per decoder.
 */
final class ValueCache {
  /** A cache that keeps nothing: for one-shot decoding. */
  static final ValueCache NONE = new ValueCache(0);

  /** Longest value worth caching; longer ones are rarely repeated. */
  static final int MAX_LENGTH = 160;

  private final int mask;
  private final char[][] stringKeys;
  private final String[] strings;
  private final char[][] ipKeys;
  private final IpAddress[] ips;

  ValueCache(int slots) {
    if (slots != 0 && Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two, got " + slots);
    }
    this.mask = slots - 1;
    this.stringKeys = new char[slots][];
    this.strings = new String[slots];
    this.ipKeys = new char[slots][];
    this.ips = new IpAddress[slots];
  }

  /** The string with the text {@code chars[offset, offset + length)}. */
  String string(char[] chars, int offset, int length) {
    if (mask < 0 || length > MAX_LENGTH) {
      return new String(chars, offset, length);
    }
    int slot = slot(chars, offset, length);
    char[] key = stringKeys[slot];
    if (key != null && Arrays.equals(key, 0, key.length, chars, offset, offset + length)) {
      return strings[slot];
    }
    String value = new String(chars, offset, length);
    stringKeys[slot] = Arrays.copyOfRange(chars, offset, offset + length);
    strings[slot] = value;
    return value;
  }

  /**
   * The address written as {@code chars[offset, offset + length)}.
   *
   * @throws IllegalArgumentException as {@link IpAddress#parse}
   */
  IpAddress ip(char[] chars, int offset, int length) {
    if (mask < 0 || length > MAX_LENGTH) {
      return IpAddress.parse(new String(chars, offset, length));
    }
    int slot = slot(chars, offset, length);
    char[] key = ipKeys[slot];
    if (key != null && Arrays.equals(key, 0, key.length, chars, offset, offset + length)) {
      return ips[slot];
    }
    IpAddress value = IpAddress.parse(new String(chars, offset, length));
    ipKeys[slot] = Arrays.copyOfRange(chars, offset, offset + length);
    ips[slot] = value;
    return value;
  }

  private int slot(char[] chars, int offset, int length) {
    int h = length;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + chars[i];
    }
    h ^= h >>> 15;
    h *= 0x2c1b3c6d;
    h ^= h >>> 12;
    return h & mask;
  }
}
