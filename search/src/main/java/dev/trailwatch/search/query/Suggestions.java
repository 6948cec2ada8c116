package dev.trailwatch.search.query;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?": the known name nearest to a misspelt one. */
final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate nearest to {@code input} by edit distance (ignoring case), when it is near enough
   * to be a likely typo: at most a third of the input's length, between 1 and 3 edits.
   */
  static Optional<String> nearest(String input, Collection<String> candidates) {
    String lower = input.toLowerCase(Locale.ROOT);
    int limit = Math.max(1, Math.min(3, input.length() / 3));
    String best = null;
    int bestDistance = limit + 1;
    for (String candidate : candidates) {
      int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
