package dev.trailwatch.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Checks an answer of {@code GET /api/v1/events/{seq}?proof=true} with nothing of Trailwatch: the
 * JDK's SHA-256 and Ed25519, the C2SP signed-note and checkpoint formats and RFC 9162's algorithm
 * for a root from an inclusion path, written from those documents. Returns null when it holds, or
 * what does not.
 */
final class IndependentProofCheck {
  private IndependentProofCheck() {}

  /**
   * @param publicKey the verifier key text: {@code name+hexhash+base64(0x01 || 32-byte key)}
   */
  static String check(JsonNode answer, String publicKey)
      throws GeneralSecurityException, IOException {
    JsonNode proof = answer.get("proof");
    JsonNode entry = proof.get("entry");
    byte[] payload = entry.get("payload").asText().getBytes(StandardCharsets.UTF_8);
    long seq = proof.get("leaf_index").asLong();
    long size = proof.get("tree_size").asLong();

    // 1. The checkpoint note is signed by the key.
    String note = proof.get("checkpoint").asText();
    int split = note.indexOf("\n\n");
    String text = note.substring(0, split + 1);
    String[] key = publicKey.strip().split("\\+", 3); // base64 may hold a +
    byte[] typedKey = Base64.getDecoder().decode(key[2]);
    boolean signed = false;
    for (String line : note.substring(split + 2).split("\n")) {
      String prefix = "— " + key[0] + " ";
      if (!line.startsWith(prefix)) {
        continue;
      }
      byte[] sig = Base64.getDecoder().decode(line.substring(prefix.length()));
      if (!HexFormat.of().formatHex(sig, 0, 4).equals(key[1])) {
        continue;
      }
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(ed25519(Arrays.copyOfRange(typedKey, 1, 33)));
      v.update(text.getBytes(StandardCharsets.UTF_8));
      signed |= v.verify(Arrays.copyOfRange(sig, 4, sig.length));
    }
    if (!signed) {
      return "the checkpoint is not signed by " + key[0];
    }
    String[] lines = text.split("\n");
    if (Long.parseLong(lines[1]) != size) {
      return "the checkpoint is for size " + lines[1] + ", not " + size;
    }
    byte[] root = Base64.getDecoder().decode(lines[2]);

    // 2. The shown event is the proven payload; the leaf hash is recomputed from the entry.
    if (!answer.get("event").equals(ServerTest.JSON.readTree(payload))) {
      return "the event shown is not the payload proven";
    }
    if (answer.get("seq").asLong() != seq || entry.get("seq").asLong() != seq) {
      return "the sequence numbers differ";
    }
    ByteBuffer leaf = ByteBuffer.allocate(1 + 4 + 8 + 8 + payload.length);
    leaf.put((byte) 0)
        .putInt(payload.length)
        .putLong(seq)
        .putLong(entry.get("ingest_nanos").asLong());
    leaf.put(payload);
    byte[] hash = sha256(leaf.array());
    if (!Arrays.equals(hash, Base64.getDecoder().decode(proof.get("leaf_hash").asText()))) {
      return "the entry does not hash to the leaf hash";
    }

    // 3. RFC 9162, 2.1.3.2: the root from the leaf and the path.
    long fn = seq;
    long sn = size - 1;
    byte[] r = hash;
    for (JsonNode p : proof.get("path")) {
      byte[] h = Base64.getDecoder().decode(p.asText());
      if (sn == 0) {
        return "the path is too long";
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = node(h, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = node(r, h);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      return "the path is too short";
    }
    return Arrays.equals(r, root) ? null : "the path does not lead to the checkpoint's root";
  }

  private static PublicKey ed25519(byte[] raw) throws GeneralSecurityException {
    byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
    byte[] der = Arrays.copyOf(prefix, prefix.length + raw.length);
    System.arraycopy(raw, 0, der, prefix.length, raw.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
  }

  private static byte[] node(byte[] left, byte[] right) throws GeneralSecurityException {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    d.update((byte) 1);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  private static byte[] sha256(byte[] b) throws GeneralSecurityException {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }
}
