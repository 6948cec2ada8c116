package dev.trailwatch.event;

/** Reads the canonical form back. */
final class CanonicalReader {
  private CanonicalReader() {}

  static Decoded read(byte[] canonical) {
    return EventJson.decode(canonical);
  }
}
