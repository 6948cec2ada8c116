package dev.trailwatch.event.sample;

/**
 * What {@link EventGenerator#writeNdjson} wrote.
 *
 * @param lines lines written, each ending in {@code \n}
 * @param invalidLines how many of them were deliberately made invalid
 * @param bytes bytes written
 */
public record WriteSummary(long lines, long invalidLines, long bytes) {
  /** Mean bytes per line, newline included; 0 for no lines. */
  public double averageLineBytes() {
    return lines == 0 ? 0 : (double) bytes / lines;
  }
}
