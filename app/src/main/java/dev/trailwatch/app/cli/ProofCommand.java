package dev.trailwatch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailwatch.app.proof.ProofJson;
import dev.trailwatch.ledger.Entry;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.ledger.Proof;
import dev.trailwatch.ledger.SignedCheckpoint;
import dev.trailwatch.ledger.checkpoint.KeyFiles;
import dev.trailwatch.ledger.checkpoint.NoteException;
import dev.trailwatch.ledger.checkpoint.NoteVerifier;
import dev.trailwatch.ledger.merkle.ProofException;
import dev.trailwatch.ledger.merkle.ProofVerifier;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailwatch proof inclusion|consistency|check}. */
@Command(
    mixinStandardHelpOptions = true,
    name = "proof",
    description = "Produce and check Merkle proofs (JSON) against signed checkpoints.",
    subcommands = {
      ProofCommand.Inclusion.class,
      ProofCommand.Consistency.class,
      ProofCommand.Check.class
    })
final class ProofCommand implements Runnable {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a proof command: inclusion, consistency or check");
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "inclusion",
      description = {
        "Prove that entry SEQ is in the ledger: prints JSON with the entry, its Merkle path and"
            + " the signed checkpoint of the tree size (default: the latest checkpoint).",
        "Check it anywhere with `trailwatch proof check --public-key KEY FILE`."
      })
  static final class Inclusion implements Callable<Integer> {
    @Mixin DataDirOption data;

    @Parameters(index = "0", paramLabel = "SEQ", description = "The entry's sequence number.")
    long seq;

    @Option(
        names = "--size",
        paramLabel = "N",
        description = "Tree size to prove against (default: the latest checkpoint's).")
    Long size;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      try (LedgerReader reader = LedgerReader.open(data.dir())) {
        Checkpoints cps = Checkpoints.of(reader);
        long treeSize = size != null ? size : cps.latestSize();
        if (seq < 0 || seq >= treeSize) {
          throw new UserError(
              "entry "
                  + seq
                  + " is not in a tree of "
                  + treeSize
                  + " entries"
                  + (size == null ? " (the latest checkpoint's size; pass --size)" : ""));
        }
        Proof.Inclusion proof = inclusion(reader, seq, treeSize);
        Entry entry =
            reader
                .read(seq)
                .orElseThrow(() -> new UserError("entry " + seq + " cannot be read; run verify"));
        ObjectNode o =
            ProofJson.inclusion(
                reader.origin(),
                entry,
                proof,
                reader.root(treeSize),
                cps.note(treeSize, spec.commandLine().getErr()));
        print(spec, o);
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "consistency",
      description = {
        "Prove that the ledger of NEW entries extends the ledger of OLD entries (nothing before"
            + " OLD was changed): prints JSON with the Merkle path and both signed checkpoints.",
      })
  static final class Consistency implements Callable<Integer> {
    @Mixin DataDirOption data;

    @Parameters(index = "0", paramLabel = "OLD", description = "The older tree size.")
    long oldSize;

    @Parameters(index = "1", paramLabel = "NEW", description = "The newer tree size.")
    long newSize;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      if (oldSize < 0 || oldSize > newSize) {
        throw new UserError("OLD must be between 0 and NEW, not " + oldSize + " and " + newSize);
      }
      try (LedgerReader reader = LedgerReader.open(data.dir())) {
        Checkpoints cps = Checkpoints.of(reader);
        long have = reader.size();
        if (newSize > have) {
          if (newSize <= cps.latestSize()) {
            throw damaged(newSize, have);
          }
          throw new UserError("NEW (" + newSize + ") is beyond the " + have + " entries stored");
        }
        Proof.Consistency proof = reader.consistency(oldSize, newSize);
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "consistency");
        o.put("origin", reader.origin());
        o.put("old_size", oldSize);
        o.put("new_size", newSize);
        o.put("old_root", B64.encodeToString(reader.root(oldSize)));
        o.put("new_root", B64.encodeToString(reader.root(newSize)));
        o.set("path", ProofJson.hashes(proof.path()));
        cps.note(oldSize, spec.commandLine().getErr()).ifPresent(n -> o.put("old_checkpoint", n));
        cps.note(newSize, spec.commandLine().getErr()).ifPresent(n -> o.put("new_checkpoint", n));
        print(spec, o);
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "check",
      description = {
        "Check a proof from `trailwatch proof inclusion|consistency` offline: against the signed"
            + " checkpoint(s) it carries (or --checkpoint/--old-checkpoint) and the public key.",
        "Also reads a saved answer of GET /api/v1/events/SEQ?proof=true, and then checks that the"
            + " event it shows is the entry proven.",
        "Needs no data directory. Exit codes: 0 the proof holds, 1 it does not, 2 could not run."
      })
  static final class Check implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "PROOF",
        description = "The proof JSON file, or - for standard input.")
    String proofFile;

    @Option(
        names = "--public-key",
        required = true,
        paramLabel = "FILE",
        description = "The ledger's public key (from `trailwatch keys export-public`).")
    Path publicKey;

    @Option(
        names = "--checkpoint",
        paramLabel = "FILE",
        description = "A signed checkpoint to check against instead of the one in the proof.")
    Path checkpoint;

    @Option(
        names = "--old-checkpoint",
        paramLabel = "FILE",
        description = "For a consistency proof: the older signed checkpoint you hold.")
    Path oldCheckpoint;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      NoteVerifier key = KeyFiles.loadPublic(publicKey);
      JsonNode proof;
      try (InputStream in =
          proofFile.equals("-") ? System.in : Files.newInputStream(Path.of(proofFile))) {
        proof = JSON.readTree(in);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UserError(
            proofFile
                + ": not a proof (invalid JSON at line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")");
      }
      if (proof == null || !proof.isObject()) {
        throw new UserError(proofFile + ": not a proof (expected a JSON object)");
      }
      // An answer of GET /api/v1/events/{seq}?proof=true: the entry it shows, and its proof.
      JsonNode answer = null;
      if (!proof.has("type") && proof.path("proof").isObject()) {
        answer = proof;
        proof = answer.get("proof");
      }
      PrintWriter out = spec.commandLine().getOut();
      String type = text(proof, "type");
      try {
        if (answer != null) {
          checkShown(answer, proof);
        }
        String message =
            switch (type) {
              case "inclusion" -> checkInclusion(proof, key);
              case "consistency" -> checkConsistency(proof, key);
              default -> throw new UserError(proofFile + ": unknown proof type '" + type + "'");
            };
        out.println("OK: " + message);
        return ExitCodes.OK;
      } catch (ProofException | NoteException | CheckFailed e) {
        out.println("FAILED: " + e.getMessage());
        return ExitCodes.FOUND_PROBLEM;
      }
    }

    private String checkInclusion(JsonNode proof, NoteVerifier key)
        throws IOException, NoteException, ProofException, CheckFailed {
      SignedCheckpoint cp = openCheckpoint(proof, "checkpoint", checkpoint, key);
      long seq = number(proof, "seq");
      long size = number(proof, "tree_size");
      checkOrigin(proof, cp);
      if (cp.size() != size) {
        throw new CheckFailed(
            "the proof is for tree size " + size + " but the checkpoint is for size " + cp.size());
      }
      byte[] leafHash = hash(proof, "leaf_hash");
      Rfc6962Hasher h = Rfc6962Hasher.create();
      String what = "entry " + seq;
      if (proof.has("entry")) {
        Entry entry = entryFrom(proof.get("entry"));
        if (entry.seq() != seq) {
          throw new CheckFailed("the entry is number " + entry.seq() + ", not " + seq);
        }
        byte[] actual = h.hashLeaf(entry.leafData());
        if (!java.util.Arrays.equals(actual, leafHash)) {
          throw new CheckFailed(
              "the entry does not hash to the proof's leaf hash: the entry was changed");
        }
        what += " (ingested " + entry.ingestTime() + ")";
      }
      ProofVerifier.verifyInclusion(h, seq, size, leafHash, hashList(proof, "path"), cp.root());
      return what
          + " is in ledger '"
          + cp.checkpoint().origin()
          + "' at tree size "
          + size
          + ", checkpoint #"
          + cp.index()
          + " signed "
          + cp.time()
          + " by "
          + key.keyId();
    }

    /** The answer of the HTTP API shows the very entry its proof is about. */
    private static void checkShown(JsonNode answer, JsonNode proof) throws CheckFailed {
      Entry proven = entryFrom(proof.path("entry"));
      if (answer.path("seq").asLong(-1) != proven.seq()) {
        throw new CheckFailed(
            "the answer shows entry " + answer.path("seq") + " but proves entry " + proven.seq());
      }
      JsonNode shown = answer.has("event") ? answer.get("event") : answer.get("payload");
      boolean same;
      if (shown != null) {
        try {
          same = shown.equals(JSON.readTree(proven.payload()));
        } catch (IOException notJson) {
          same = false;
        }
      } else {
        same = java.util.Arrays.equals(decode(answer, "payload_base64"), proven.payload());
      }
      if (!same) {
        throw new CheckFailed(
            "the entry the answer shows is not the entry its proof is about: it was changed");
      }
    }

    private String checkConsistency(JsonNode proof, NoteVerifier key)
        throws IOException, NoteException, ProofException, CheckFailed {
      long oldSize = number(proof, "old_size");
      long newSize = number(proof, "new_size");
      SignedCheckpoint newer = openCheckpoint(proof, "new_checkpoint", checkpoint, key);
      checkOrigin(proof, newer);
      if (newer.size() != newSize) {
        throw new CheckFailed(
            "the proof is for new size " + newSize + " but the checkpoint is for " + newer.size());
      }
      byte[] oldRoot;
      String oldWhat;
      if (oldSize == 0) {
        oldRoot = Rfc6962Hasher.create().emptyRoot();
        oldWhat = "the empty tree";
      } else {
        SignedCheckpoint older = openCheckpoint(proof, "old_checkpoint", oldCheckpoint, key);
        checkOrigin(proof, older);
        if (older.size() != oldSize) {
          throw new CheckFailed(
              "the proof is for old size "
                  + oldSize
                  + " but the old checkpoint is for "
                  + older.size());
        }
        oldRoot = older.root();
        oldWhat = "checkpoint #" + older.index() + " (size " + oldSize + ")";
      }
      ProofVerifier.verifyConsistency(
          Rfc6962Hasher.create(), oldSize, newSize, oldRoot, newer.root(), hashList(proof, "path"));
      return "checkpoint #"
          + newer.index()
          + " (size "
          + newSize
          + ") extends "
          + oldWhat
          + " of ledger '"
          + newer.checkpoint().origin()
          + "': nothing in it was changed or removed";
    }

    private void checkOrigin(JsonNode proof, SignedCheckpoint cp) throws CheckFailed {
      if (proof.has("origin") && !text(proof, "origin").equals(cp.checkpoint().origin())) {
        throw new CheckFailed(
            "the proof is for ledger '"
                + text(proof, "origin")
                + "' but the checkpoint is for '"
                + cp.checkpoint().origin()
                + "'");
      }
    }

    private SignedCheckpoint openCheckpoint(
        JsonNode proof, String field, Path file, NoteVerifier key)
        throws IOException, NoteException {
      String note;
      if (file != null) {
        note = Files.readString(file, StandardCharsets.UTF_8);
      } else if (proof.hasNonNull(field)) {
        note = proof.get(field).asText();
      } else {
        throw new UserError(
            "the proof carries no "
                + field.replace('_', ' ')
                + "; give one with --"
                + field.replace('_', '-'));
      }
      return SignedCheckpoint.open(note, key);
    }
  }

  // ------------------------------------------------------------------ shared

  /** A proof that does not hold for a reason outside the Merkle path itself. */
  static final class CheckFailed extends Exception {
    private static final long serialVersionUID = 1L;

    CheckFailed(String message) {
      super(message);
    }
  }

  private static Proof.Inclusion inclusion(LedgerReader reader, long seq, long size)
      throws IOException {
    long readable = reader.size();
    if (size > readable) {
      throw damaged(size, readable);
    }
    return reader.inclusion(seq, size);
  }

  /** A checkpoint covers more entries than can be read: the ledger is damaged. */
  private static UserError damaged(long size, long readable) {
    return new UserError(
        "cannot prove anything about a tree of "
            + size
            + " entries: only the first "
            + readable
            + " entries can be read, the ledger is damaged or entries were removed; run"
            + " `trailwatch verify` for where",
        ExitCodes.FOUND_PROBLEM,
        null);
  }

  static Entry entryFrom(JsonNode n) {
    long seq = number(n, "seq");
    long nanos = number(n, "ingest_nanos");
    byte[] payload;
    if (n.hasNonNull("payload")) {
      payload = n.get("payload").asText().getBytes(StandardCharsets.UTF_8);
    } else if (n.hasNonNull("payload_base64")) {
      payload = decode(n, "payload_base64");
    } else {
      throw new UserError("the proof's entry has neither payload nor payload_base64");
    }
    return new Entry(seq, nanos, payload);
  }

  static long number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new UserError("the proof's field '" + field + "' is missing or not a whole number");
    }
    return v.asLong();
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new UserError("the proof's field '" + field + "' is missing or not text");
    }
    return v.asText();
  }

  private static byte[] decode(JsonNode n, String field) {
    try {
      return B64D.decode(text(n, field));
    } catch (IllegalArgumentException e) {
      throw new UserError("the proof's field '" + field + "' is not base64");
    }
  }

  private static byte[] hash(JsonNode n, String field) {
    byte[] h = decode(n, field);
    if (h.length != 32) {
      throw new UserError("the proof's field '" + field + "' is not a 32-byte hash");
    }
    return h;
  }

  private static List<byte[]> hashList(JsonNode n, String field) {
    JsonNode a = n.get(field);
    if (a == null || !a.isArray()) {
      throw new UserError("the proof's field '" + field + "' is missing or not a list");
    }
    List<byte[]> out = new ArrayList<>();
    for (JsonNode h : a) {
      if (!h.isTextual()) {
        throw new UserError("the proof's field '" + field + "' holds something that is not text");
      }
      try {
        out.add(B64D.decode(h.asText()));
      } catch (IllegalArgumentException e) {
        throw new UserError("the proof's field '" + field + "' holds a hash that is not base64");
      }
    }
    return out;
  }

  private static void print(CommandSpec spec, ObjectNode o) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    out.println(JSON.writeValueAsString(o));
    out.flush();
  }

  /** The checkpoints of a data directory, opened with its own public key. */
  private record Checkpoints(List<SignedCheckpoint> all) {
    static Checkpoints of(LedgerReader reader) throws IOException {
      Path pub =
          reader
              .publicKeyFile()
              .orElseThrow(() -> new UserError("no public key in " + reader.dataDir() + "/keys"));
      NoteVerifier key = KeyFiles.loadPublic(pub);
      List<SignedCheckpoint> all = new ArrayList<>();
      for (String note : reader.checkpointNotes()) {
        try {
          all.add(SignedCheckpoint.open(note, key));
        } catch (NoteException e) {
          // a damaged checkpoint is verify's business; proofs use the ones that verify
        }
      }
      if (all.isEmpty()) {
        throw new UserError("the ledger in " + reader.dataDir() + " has no valid checkpoint");
      }
      return new Checkpoints(all);
    }

    long latestSize() {
      return all.get(all.size() - 1).size();
    }

    Optional<String> note(long size, PrintWriter err) {
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).size() == size) {
          return Optional.of(all.get(i).note());
        }
      }
      if (size > 0) {
        err.println(
            "trailwatch: warning: no signed checkpoint has tree size "
                + size
                + "; the proof can only be checked against a root you already trust");
      }
      return Optional.empty();
    }
  }
}
