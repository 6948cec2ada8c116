package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The immutable label map of an event: two sorted arrays, iterated in key order ({@link
 * String#compareTo}), looked up by binary search. Compact (no entry objects) and cheap to share.
 * Equality and hash code are those of {@link Map}.
 */
final class Labels extends AbstractMap<String, String> {
  static final Labels EMPTY = new Labels(new String[0], new String[0]);

  private final String[] keys;
  private final String[] values;

  private Labels(String[] keys, String[] values) {
    this.keys = keys;
    this.values = values;
  }

  /**
   * An immutable sorted copy of {@code labels} (the same instance when it already is one).
   *
   * @throws NullPointerException for a null key or value
   * @throws IllegalArgumentException for an empty key
   */
  static Labels copyOf(Map<String, String> labels) {
    if (labels instanceof Labels l) {
      return l;
    }
    if (labels.isEmpty()) {
      return EMPTY;
    }
    SortedMap<String, String> sorted =
        labels instanceof SortedMap<String, String> s && s.comparator() == null
            ? s
            : new TreeMap<>(labels);
    String[] ks = new String[sorted.size()];
    String[] vs = new String[ks.length];
    int i = 0;
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      String key = requireNonNull(e.getKey(), "label key");
      String problem = keyProblem(key);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      ks[i] = key;
      vs[i] = requireNonNull(e.getValue(), () -> "value of label " + key);
      i++;
    }
    return new Labels(ks, vs);
  }

  /**
   * Why {@code key} cannot be a label key, or null when it can: keys are non-empty and valid
   * Unicode (no unpaired surrogate, which JSON field names cannot carry through a parser).
   */
  static String keyProblem(String key) {
    if (key.isEmpty()) {
      return "label keys must not be empty";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < key.length()
          && Character.isLowSurrogate(key.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "label key "
            + Texts.quote(key)
            + " contains an unpaired surrogate U+"
            + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
            + ", which is not valid Unicode";
      }
    }
    return null;
  }

  /** Key at {@code i} in sorted order. */
  String keyAt(int i) {
    return keys[i];
  }

  /** Value at {@code i} in sorted key order. */
  String valueAt(int i) {
    return values[i];
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean isEmpty() {
    return keys.length == 0;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String k && Arrays.binarySearch(keys, k) >= 0;
  }

  @Override
  public String get(Object key) {
    if (!(key instanceof String k)) {
      return null;
    }
    int i = Arrays.binarySearch(keys, k);
    return i >= 0 ? values[i] : null;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return keys.length;
      }

      @Override
      public Iterator<Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Entry<String, String> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }
    };
  }
}
