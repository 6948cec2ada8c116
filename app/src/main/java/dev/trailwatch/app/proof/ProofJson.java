package dev.trailwatch.app.proof;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.Proof;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The JSON form of an inclusion proof, the same from {@code trailwatch proof inclusion} and from
 * {@code GET /api/v1/events/{seq}?proof=true}, so that {@code trailwatch proof check} reads both:
 *
 * <pre>
 * {"type":"inclusion", "origin":..., "seq":S, "leaf_index":S, "tree_size":N,
 *  "leaf_hash":B64, "entry":{"seq":S, "ingest_nanos":T, "ingested":RFC3339, "payload":TEXT},
 *  "path":[B64, ...], "root":B64, "checkpoint":SIGNED_NOTE}
 * </pre>
 *
 * Hashes are standard base64 with padding (as in the checkpoint note). The leaf hash is SHA-256 of
 * {@code 0x00 || u32 payload length || u64 seq || i64 ingest_nanos || payload} (big-endian); a
 * payload that is not UTF-8 is {@code payload_base64} instead of {@code payload}.
 */
public final class ProofJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private ProofJson() {}

  /**
   * The proof that {@code entry} is leaf {@code proof.seq()} of the tree of {@code
   * proof.treeSize()} entries whose root is {@code root}.
   *
   * @param checkpoint the signed note of that tree size, when there is one
   */
  public static ObjectNode inclusion(
      String origin, Entry entry, Proof.Inclusion proof, byte[] root, Optional<String> checkpoint) {
    ObjectNode o = NODES.objectNode();
    o.put("type", "inclusion");
    o.put("origin", origin);
    o.put("seq", proof.seq());
    o.put("leaf_index", proof.seq());
    o.put("tree_size", proof.treeSize());
    o.put("leaf_hash", B64.encodeToString(proof.leafHash()));
    o.set("entry", entry(entry));
    o.set("path", hashes(proof.path()));
    o.put("root", B64.encodeToString(root));
    checkpoint.ifPresent(n -> o.put("checkpoint", n));
    return o;
  }

  /** An entry: sequence number, ingest time (nanoseconds and RFC 3339) and payload. */
  public static ObjectNode entry(Entry e) {
    ObjectNode n = NODES.objectNode();
    n.put("seq", e.seq());
    n.put("ingest_nanos", e.ingestNanos());
    n.put("ingested", e.ingestTime().toString());
    Optional<String> text = utf8(e.payload());
    if (text.isPresent()) {
      n.put("payload", text.get());
    } else {
      n.put("payload_base64", B64.encodeToString(e.payload()));
    }
    return n;
  }

  /** Hashes as base64 text. */
  public static ArrayNode hashes(List<byte[]> path) {
    ArrayNode a = NODES.arrayNode();
    path.forEach(h -> a.add(B64.encodeToString(h)));
    return a;
  }

  /** The bytes as text if they are valid UTF-8. */
  public static Optional<String> utf8(byte[] b) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(b))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
