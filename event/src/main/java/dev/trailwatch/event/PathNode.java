package dev.trailwatch.event;

import java.util.HashMap;
import java.util.Map;

/**
 * A node of the schema's name tree, for resolving JSON keys without building dotted strings.
 *
 * <p>Every node maps every dotted key that can follow it to the node it reaches: the root maps
 * {@code "http"}, {@code "http.request"} and {@code "http.request.method"}; the node {@code http}
 * maps {@code "request"} and {@code "request.method"}. So nested, flat and mixed JSON all resolve
 * with one hash lookup per key. Keys that reach no schema field ({@link #resolve} returns null) are
 * kept as labels by the reader. Immutable after class initialisation.
 */
final class PathNode {
  /** What a key resolves to when it enters the {@code labels} map with a remainder. */
  record LabelEntry(String keyPrefix) {}

  static final PathNode ROOT = build();

  /** Dotted path from the root ({@code ""} for the root itself). */
  final String path;

  /** The schema field at this node, or null for an inner node. */
  final Field field;

  /** True for the {@code labels} node. */
  final boolean labels;

  /** For messages about an inner node: a field below it, e.g. {@code user.name} below user. */
  String example;

  private final Map<String, PathNode> children = new HashMap<>();

  private PathNode(String path, Field field, boolean labels) {
    this.path = path;
    this.field = field;
    this.labels = labels;
  }

  boolean isInner() {
    return field == null && !labels;
  }

  /**
   * Resolves a key found in this node's JSON object: a {@link PathNode}, a {@link LabelEntry} when
   * the key is {@code labels.<rest>} (rest becomes the label key prefix), or null when it is not a
   * schema field.
   */
  Object resolve(String key) {
    PathNode hit = children.get(key);
    if (hit != null) {
      return hit;
    }
    PathNode node = this;
    String rest = key;
    while (true) {
      int dot = rest.indexOf('.');
      if (dot < 0) {
        return null;
      }
      PathNode head = node.children.get(rest.substring(0, dot));
      if (head == null || head.field != null) {
        return null;
      }
      rest = rest.substring(dot + 1);
      if (head.labels) {
        return new LabelEntry(rest);
      }
      hit = head.children.get(rest);
      if (hit != null) {
        return hit;
      }
      node = head;
    }
  }

  private static PathNode build() {
    PathNode root = new PathNode("", null, false);
    for (Field f : Field.values()) {
      var segments = f.path();
      // The chain of nodes along the path: nodes[i] is the node reached after i segments.
      PathNode[] nodes = new PathNode[segments.size() + 1];
      nodes[0] = root;
      for (int i = 1; i <= segments.size(); i++) {
        String name = String.join(".", segments.subList(0, i));
        boolean last = i == segments.size();
        PathNode existing = nodes[i - 1].children.get(segments.get(i - 1));
        if (existing == null) {
          existing =
              last
                  ? new PathNode(name, f == Field.LABELS ? null : f, f == Field.LABELS)
                  : new PathNode(name, null, false);
          nodes[i - 1].children.put(segments.get(i - 1), existing);
        }
        if (existing.example == null) {
          existing.example = f.ecsName();
        }
        nodes[i] = existing;
      }
      // Register every dotted run of segments: from nodes[i], the key s_i..s_(j-1) reaches
      // nodes[j].
      for (int i = 0; i < segments.size(); i++) {
        for (int j = i + 2; j <= segments.size(); j++) {
          nodes[i].children.put(String.join(".", segments.subList(i, j)), nodes[j]);
        }
      }
    }
    return root;
  }
}
