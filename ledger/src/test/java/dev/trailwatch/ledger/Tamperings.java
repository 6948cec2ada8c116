package dev.trailwatch.ledger;

import dev.trailwatch.ledger.checkpoint.NoteLog;
import dev.trailwatch.ledger.checkpoint.NoteSigner;
import dev.trailwatch.ledger.merkle.Rfc6962Hasher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The tamperings an attacker (or a failing disk) can apply to a data directory, each with random
 * parameters, and what {@link Verifier} must make of each: the {@link Outcome}.
 *
 * <ul>
 *   <li>a random bit or byte value anywhere in any file: segments, tiles/level-N, tiles/partial,
 *       checkpoints, LEDGER, both key files, lock and cursors/;
 *   <li>records deleted, duplicated, swapped, moved, edited or appended, with the framing intact
 *       and, more carefully, with sequence numbers and CRCs rewritten in the segment, in all later
 *       segments (renamed to match), and finally with every tile recomputed too;
 *   <li>a segment cut inside a record, inside its header or at a record boundary;
 *   <li>a segment file removed, renamed, or two swapped;
 *   <li>a checkpoint edited (size, root, index, time, origin, any character) with its old signature
 *       or re-signed with the ledger's own key, dropped, duplicated, reordered, or the log cut
 *       short;
 *   <li>the public key replaced, also the private key, also every checkpoint re-signed.
 * </ul>
 *
 * <p>Exemptions, each decided where the tampering is made and carrying its reason: bytes of {@code
 * lock} and {@code cursors/} ({@link #NOT_LEDGER_CONTENT}), whitespace after a key ({@link
 * #KEY_WHITESPACE}), and a result that is byte-identical to the original ({@link #NO_OP}, decided
 * by the caller). Not exempt: {@code tiles/partial}. It is derived from the records, but the writer
 * only ever publishes it whole by rename, so a damaged one is no crash leftover; it is something
 * other than the ledger writing into the directory, which verify must report like a damaged tile.
 *
 * <p>Re-signing with the ledger's own key, which lives in the data directory, is used only for
 * edits that the records or the other checkpoints contradict (size, root, index, origin, a time
 * before the previous checkpoint's). Whoever holds that key can sign any other history; that, like
 * removing the newest entries together with their checkpoints, only a witness can catch ({@code
 * LedgerTest.witnessReceivesEveryCheckpointAndVerifyUsesIt}).
 *
 * <p>Immutable; thread-safe. It writes only into the directory it is given, never into the pristine
 * one.
 */
final class Tamperings {
  /** Why bytes in {@code lock} and {@code cursors/} may change freely. */
  static final String NOT_LEDGER_CONTENT =
      "not ledger content: 'lock' only names the writer process for error messages (the OS lock"
          + " is on the file, not its bytes) and 'cursors/' holds consumer positions, which"
          + " Cursors documents verify does not check; neither feeds a record, hash, checkpoint"
          + " or key";

  /** Why whitespace after a key may change. */
  static final String KEY_WHITESPACE =
      "whitespace after the key: every reader of a key file (KeyFiles, Verifier) strips"
          + " Character.isWhitespace before parsing, so the key is the same";

  /** Why a byte-identical result is exempt. */
  static final String NO_OP =
      "no-op: the tampered directory is byte-identical to the original (for example two"
          + " records of one batch with the same payload, and so the same bytes once renumbered,"
          + " swapped; or a byte set to the value it had)";

  /** The one tampering verify cannot see without an independently obtained public key. */
  static final String KEY_AND_SIGNATURES_REPLACED =
      "the keys and every checkpoint signature were replaced consistently: the data directory"
          + " vouches for itself, so only the original public key (--public-key) can tell";

  /** What verify must say about a tampering. */
  enum Expect {
    /** Verify must report it in either key mode. */
    REPORTED,
    /** Provably harmless: verify must call the ledger intact ({@link Outcome#why} says why). */
    EXEMPT,
    /**
     * Only verify with the original public key can report it; with the directory's key it can't.
     */
    ONLY_WITH_GIVEN_KEY
  }

  /**
   * What one tampering did and what verify must say.
   *
   * @param kind the histogram row, such as "flip segments (record)"
   * @param detail what exactly changed, for failure messages
   * @param expect the verdict verify must reach
   * @param why the reason for an exemption or a limitation, else empty
   * @param seq the lowest sequence number whose record changed, if one did (else -1): {@code
   *     report.first()} must name it or an earlier one
   * @param file where {@code report.first()} must point, where that is determinable
   * @param bothKeyModes verify with the directory's key and with the original key (else one, at
   *     random)
   */
  record Outcome(
      String kind,
      String detail,
      Expect expect,
      String why,
      long seq,
      Optional<String> file,
      boolean bothKeyModes) {

    static Outcome reported(String kind, String detail, long seq, Optional<String> file) {
      return new Outcome(kind, detail, Expect.REPORTED, "", seq, file, false);
    }

    static Outcome exempt(String kind, String detail, String why) {
      return new Outcome(kind, detail, Expect.EXEMPT, why, -1, Optional.empty(), false);
    }

    Outcome asNoOp() {
      return new Outcome(kind, detail, Expect.EXEMPT, NO_OP, -1, Optional.empty(), bothKeyModes);
    }
  }

  private enum RecordOp {
    DELETE,
    DUPLICATE,
    SWAP,
    MOVE,
    /** A payload byte or the ingest time changed, and the CRC recomputed. */
    EDIT,
    /** New well-formed records after the last one, beyond every checkpoint. */
    APPEND
  }

  /** How carefully the attacker covers the tracks of a record edit. */
  private enum Care {
    /** Records keep their sequence numbers and CRCs; only the framing lines up. */
    FRAMING,
    /** The edited segment's records are renumbered and their CRCs recomputed. */
    SEGMENT,
    /** All records from the edit on are renumbered, later segments rewritten and renamed. */
    LEDGER,
    /** As {@link #LEDGER}, and every tile and the partial tiles recomputed from the records. */
    TREE
  }

  private final PristineLedger pristine;
  private final List<String> segmentPaths;
  private final List<SegmentImage> images = new ArrayList<>();

  Tamperings(PristineLedger pristine) {
    this.pristine = pristine;
    this.segmentPaths = pristine.segmentPaths();
    for (String p : segmentPaths) {
      images.add(SegmentImage.parse(pristine.bytes(p)));
    }
  }

  /** One tampering of a kind chosen at random, applied to {@code dir}. */
  Outcome random(Path dir, SplittableRandom r) throws IOException {
    int x = r.nextInt(100);
    if (x < 40) {
      return flipByte(dir, r, pristine.paths());
    }
    if (x < 60) {
      return editRecords(dir, r);
    }
    if (x < 68) {
      return truncateSegment(dir, r);
    }
    if (x < 76) {
      return segmentFiles(dir, r);
    }
    if (x < 92) {
      return editCheckpoints(dir, r);
    }
    return replaceKey(dir, r);
  }

  // ------------------------------------------------------------------ any file, any byte

  /** Flips a random bit, or writes a random value, at a random offset of one of {@code paths}. */
  Outcome flipByte(Path dir, SplittableRandom r, List<String> paths) throws IOException {
    String path = r.nextBoolean() ? paths.get(r.nextInt(paths.size())) : byteWeighted(r, paths);
    byte[] b = pristine.bytes(path);
    // A quarter of the flips hit the first or last 64 bytes: headers, checksums, final newlines.
    int at = r.nextInt(b.length);
    if (r.nextInt(4) == 0) {
      int edge = r.nextInt(Math.min(64, b.length));
      at = r.nextBoolean() ? edge : b.length - 1 - edge;
    }
    // A key file's final newline is the one byte its readers treat leniently: hit it often.
    if (path.startsWith(Layout.KEYS + "/") && r.nextBoolean()) {
      at = b.length - 1;
    }
    byte old = b[at];
    boolean bit = r.nextBoolean();
    b[at] = bit ? (byte) (old ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
    write(dir, path, b);
    String detail =
        String.format(
            Locale.ROOT,
            "%s byte %d of %d: 0x%02x -> 0x%02x (%s)",
            path,
            at,
            b.length,
            old & 0xff,
            b[at] & 0xff,
            bit ? "bit flip" : "random value");
    if (path.equals(Layout.LOCK) || path.startsWith(Layout.CURSORS + "/")) {
      return Outcome.exempt("flip " + path.replaceAll("/.*", "/"), detail, NOT_LEDGER_CONTENT);
    }
    if (path.startsWith(Layout.KEYS + "/")) {
      byte[] original = pristine.bytes(path);
      int lastKeyByte = original.length - 1;
      while (lastKeyByte >= 0 && Character.isWhitespace(original[lastKeyByte])) {
        lastKeyByte--;
      }
      if (at > lastKeyByte && b[at] >= 0 && Character.isWhitespace(b[at])) {
        return Outcome.exempt("flip " + path, detail, KEY_WHITESPACE);
      }
      return Outcome.reported("flip " + path, detail, -1, Optional.empty());
    }
    int segment = segmentPaths.indexOf(path);
    if (segment >= 0) {
      SegmentImage img = images.get(segment);
      if (at < SegmentFormat.HEADER_SIZE) {
        return Outcome.reported("flip segments (header)", detail, img.baseSeq(), Optional.of(path));
      }
      long[] offsets = img.offsets();
      int i = 0;
      while (offsets[i + 1] <= at) {
        i++;
      }
      return Outcome.reported(
          "flip segments (record)",
          detail + ", in entry " + (img.baseSeq() + i),
          img.baseSeq() + i,
          Optional.of(path));
    }
    if (path.startsWith(Layout.TILES + "/level-")) {
      if (at < TileFiles.HEADER) {
        return Outcome.reported("flip " + path + " (header)", detail, -1, Optional.empty());
      }
      int level = Integer.parseInt(path.substring(path.length() - 1));
      long hash = (at - TileFiles.HEADER) / TileFiles.HASH;
      long firstLeaf = hash << (TileFiles.HEIGHT * level);
      return Outcome.reported(
          "flip " + path + " (hashes)",
          detail + ", in the hash over entries from " + firstLeaf,
          firstLeaf,
          Optional.of(path));
    }
    return Outcome.reported("flip " + path, detail, -1, Optional.empty());
  }

  private String byteWeighted(SplittableRandom r, List<String> paths) {
    long total = 0;
    for (String p : paths) {
      total += pristine.size(p);
    }
    long pick = r.nextLong(total);
    for (String p : paths) {
      pick -= pristine.size(p);
      if (pick < 0) {
        return p;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  // ------------------------------------------------------------------ records in a segment

  /**
   * Deletes, duplicates, swaps, moves, edits or appends records, more or less carefully: at most
   * the attacker recomputes everything but a signature.
   */
  Outcome editRecords(Path dir, SplittableRandom r) throws IOException {
    RecordOp op = RecordOp.values()[r.nextInt(RecordOp.values().length)];
    Care care = Care.values()[r.nextInt(Care.values().length)];
    if (op == RecordOp.EDIT || op == RecordOp.APPEND) {
      care = Care.values()[r.nextInt(1, Care.values().length)]; // else it is a byte flip
    }
    int s = op == RecordOp.APPEND ? images.size() - 1 : r.nextInt(images.size());
    SegmentImage img = images.get(s);
    List<byte[]> recs = new ArrayList<>(img.records());
    int n = recs.size();
    if (n < 2 && (op == RecordOp.SWAP || op == RecordOp.MOVE)) {
      op = RecordOp.DUPLICATE;
    }
    int i = r.nextInt(n);
    int j = i;
    if (n >= 2) {
      while (j == i) {
        j =
            r.nextBoolean()
                ? Math.floorMod(i + r.nextInt(1, 4) * (r.nextBoolean() ? 1 : -1), n)
                : r.nextInt(n);
      }
    }
    String what = "records " + i + (op == RecordOp.SWAP || op == RecordOp.MOVE ? " and " + j : "");
    switch (op) {
      case DELETE -> recs.remove(i);
      case DUPLICATE -> recs.add(i + 1, recs.get(i));
      case SWAP -> Collections.swap(recs, i, j);
      case MOVE -> recs.add(j, recs.remove(i));
      case EDIT -> {
        byte[] rec = recs.get(i).clone();
        int payload = rec.length - SegmentFormat.RECORD_OVERHEAD;
        int at =
            payload > 0 && r.nextBoolean()
                ? SegmentFormat.RECORD_PREFIX + r.nextInt(payload)
                : 12 + r.nextInt(8); // the ingest time
        rec[at] ^= (byte) (1 << r.nextInt(8));
        recs.set(i, rec);
        what = "record " + i + " byte " + at;
      }
      case APPEND -> {
        int count = r.nextInt(1, 4);
        byte[] last = recs.get(n - 1);
        for (int k = 0; k < count; k++) {
          byte[] payload = new byte[r.nextInt(0, 100)];
          r.nextBytes(payload);
          byte[] rec = new byte[SegmentFormat.recordSize(payload.length)];
          SegmentFormat.encode(
              rec,
              0,
              SegmentImage.seqOf(last) + 1 + k,
              SegmentFormat.getLong(last, 12),
              payload,
              new CRC32C());
          recs.add(rec);
        }
        what = count + " records after record " + (n - 1);
      }
      default -> throw new IllegalStateException(op.name());
    }
    String path = segmentPaths.get(s);
    String detail = op + " of " + what + " of " + n + " in " + path + ", " + care;
    String kind = "record " + op.name().toLowerCase(Locale.ROOT) + " (" + care + ")";
    // The records from this segment on, as the attacker leaves them.
    List<byte[]> after = new ArrayList<>();
    long next = img.baseSeq();
    for (byte[] rec : recs) {
      after.add(care == Care.FRAMING ? rec : SegmentImage.withSeq(rec, next));
      next++;
    }
    write(dir, path, img.encode(after));
    boolean renumberLater = care == Care.LEDGER || care == Care.TREE;
    if (renumberLater) {
      for (int t = s + 1; t < images.size(); t++) {
        Files.delete(dir.resolve(segmentPaths.get(t)));
      }
    }
    for (int t = s + 1; t < images.size(); t++) {
      if (!renumberLater) {
        after.addAll(images.get(t).records());
        continue;
      }
      List<byte[]> later = new ArrayList<>();
      for (byte[] rec : images.get(t).records()) {
        later.add(SegmentImage.withSeq(rec, next + later.size()));
      }
      SegmentImage moved =
          new SegmentImage(next, SegmentFormat.header(next), images.get(t).records());
      write(dir, Layout.SEGMENTS + "/" + SegmentFormat.fileName(next), moved.encode(later));
      after.addAll(later);
      next += later.size();
    }
    // The first entry whose bytes differ: with identical neighbours it can lie after i.
    List<byte[]> before = new ArrayList<>();
    for (int t = s; t < images.size(); t++) {
      before.addAll(images.get(t).records());
    }
    int first = 0;
    while (first < Math.min(before.size(), after.size())
        && Arrays.equals(before.get(first), after.get(first))) {
      first++;
    }
    long changed = img.baseSeq() + first;
    detail += ", first changed entry " + changed;
    if (care == Care.TREE) {
      List<byte[]> all = new ArrayList<>();
      for (int t = 0; t < s; t++) {
        all.addAll(images.get(t).records());
      }
      all.addAll(after);
      rebuildTiles(dir, all);
      // Only the signed roots can tell now, and a root only tells that something in the range
      // since the previous checkpoint changed: which entry is not determinable.
      return Outcome.reported(kind, detail, -1, Optional.empty());
    }
    // Where the sequence numbers break, the segment is named; not where only hashes can tell, nor
    // where a dropped last record leaves the next segment (or the checkpoints) to tell.
    boolean fileKnown = care == Care.FRAMING && first < recs.size();
    return Outcome.reported(
        kind, detail, changed, fileKnown ? Optional.of(path) : Optional.empty());
  }

  /** Rewrites every tile file and the partial tiles from {@code records}, as the writer would. */
  private static void rebuildTiles(Path dir, List<byte[]> records) throws IOException {
    Map<Integer, ByteArrayOutputStream> levels = new TreeMap<>();
    TreeWriter tree =
        TreeWriter.empty(
            Rfc6962Hasher.create(),
            (level, index, tile) ->
                levels
                    .computeIfAbsent(level, l -> new ByteArrayOutputStream())
                    .write(tile, 0, tile.length));
    for (byte[] rec : records) {
      tree.appendLeafData(rec, 0, rec.length - 4);
    }
    for (int level = 0; level < 8; level++) {
      Files.deleteIfExists(dir.resolve(Layout.TILES + "/level-" + level));
    }
    for (Map.Entry<Integer, ByteArrayOutputStream> level : levels.entrySet()) {
      byte[] header = new byte[TileFiles.HEADER];
      System.arraycopy("TWTILES1".getBytes(StandardCharsets.US_ASCII), 0, header, 0, 8);
      SegmentFormat.putInt(header, 8, level.getKey());
      CRC32C crc = new CRC32C();
      crc.update(header, 0, 12);
      SegmentFormat.putInt(header, 12, (int) crc.getValue());
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      file.writeBytes(header);
      file.writeBytes(level.getValue().toByteArray());
      write(dir, Layout.TILES + "/level-" + level.getKey(), file.toByteArray());
    }
    write(dir, Layout.TILES + "/" + PartialTiles.FILE, tree.edge().encode());
  }

  /** Cuts a segment inside a record, inside the header, or at a record boundary. */
  Outcome truncateSegment(Path dir, SplittableRandom r) throws IOException {
    int s = r.nextInt(images.size());
    SegmentImage img = images.get(s);
    String path = segmentPaths.get(s);
    long[] offsets = img.offsets();
    int n = img.records().size();
    int mode = r.nextInt(100);
    long cut;
    long seq;
    String where;
    Optional<String> file = Optional.of(path);
    if (mode < 70 || n == 0) {
      int i = r.nextInt(n);
      cut = offsets[i] + r.nextLong(1, offsets[i + 1] - offsets[i]);
      seq = img.baseSeq() + i;
      where = "inside entry " + seq;
    } else if (mode < 85) {
      cut = r.nextInt(SegmentFormat.HEADER_SIZE);
      seq = img.baseSeq();
      where = "inside the header";
    } else {
      int i = r.nextInt(n);
      cut = offsets[i];
      seq = img.baseSeq() + i;
      where = "before entry " + seq;
      file = Optional.empty(); // the next segment, or the checkpoints, then tell
    }
    byte[] b = pristine.bytes(path);
    byte[] cutBytes = new byte[(int) cut];
    System.arraycopy(b, 0, cutBytes, 0, cutBytes.length);
    write(dir, path, cutBytes);
    String kind =
        "truncate "
            + (s == images.size() - 1 ? "last" : "sealed")
            + " segment ("
            + where.replaceAll(" entry.*", "")
            + ")";
    return Outcome.reported(
        kind, path + " cut to " + cut + " of " + b.length + " bytes, " + where, seq, file);
  }

  // ------------------------------------------------------------------ whole segment files

  /** Removes a segment file, swaps two segments' contents, or renames one. */
  Outcome segmentFiles(Path dir, SplittableRandom r) throws IOException {
    int s = r.nextInt(images.size());
    String path = segmentPaths.get(s);
    long base = images.get(s).baseSeq();
    int op = r.nextInt(3);
    if (op == 0) {
      Files.delete(dir.resolve(path));
      return Outcome.reported(
          "segment removed (" + position(s) + ")", "removed " + path, base, Optional.empty());
    }
    if (op == 1) {
      int t = s;
      while (t == s) {
        t = r.nextInt(images.size());
      }
      String other = segmentPaths.get(t);
      write(dir, path, pristine.bytes(other));
      write(dir, other, pristine.bytes(path));
      return Outcome.reported(
          "segments swapped",
          "swapped the contents of " + path + " and " + other,
          Math.min(base, images.get(t).baseSeq()),
          Optional.empty());
    }
    String target;
    if (r.nextBoolean()) {
      long to = base;
      while (isSegmentBase(to)) {
        to = r.nextLong(0, pristine.entries() + 1000);
      }
      target = Layout.SEGMENTS + "/" + SegmentFormat.fileName(to);
    } else {
      target = path + List.of(".bak", ".old", "~", ".1").get(r.nextInt(4));
    }
    Files.move(dir.resolve(path), dir.resolve(target));
    return Outcome.reported(
        "segment renamed (" + position(s) + ")",
        "renamed " + path + " to " + target,
        base,
        Optional.empty());
  }

  private String position(int s) {
    return s == 0 ? "first" : s == images.size() - 1 ? "last" : "middle";
  }

  private boolean isSegmentBase(long seq) {
    return images.stream().anyMatch(i -> i.baseSeq() == seq);
  }

  // ------------------------------------------------------------------ the checkpoint log

  /** Edits, drops, reorders, duplicates or cuts checkpoints. */
  Outcome editCheckpoints(Path dir, SplittableRandom r) throws IOException {
    List<String> notes = new ArrayList<>(pristine.checkpointNotes());
    int n = notes.size();
    int c = r.nextInt(n);
    int op = r.nextInt(7);
    String kind;
    String detail;
    switch (op) {
      case 0, 1 -> {
        String field = List.of("size", "root", "index", "time", "origin", "any").get(r.nextInt(6));
        String text = textOf(notes.get(c));
        String edited = editField(text, field, r, notes, c);
        notes.set(c, edited + notes.get(c).substring(text.length()));
        kind = "checkpoint edited (" + (field.equals("any") ? "any character" : field) + ")";
        detail = "checkpoint #" + c + ": " + text.strip() + " -> " + edited.strip();
      }
      case 2 -> {
        String field = List.of("size", "root", "index", "time", "origin").get(r.nextInt(5));
        if (field.equals("time") && c == 0) {
          c = 1; // moved before its predecessor, so #0 has none
        }
        String text = textOf(notes.get(c));
        String edited = editField(text, field, r, notes, c);
        notes.set(c, signer().sign(edited));
        kind = "checkpoint edited and re-signed (" + field + ")";
        detail =
            "checkpoint #"
                + c
                + " re-signed with the ledger's own key: "
                + text.strip()
                + " -> "
                + edited.strip();
      }
      case 3 -> {
        int which = List.of(0, n - 1, 1 + r.nextInt(n - 2), c).get(r.nextInt(4));
        notes.remove(which);
        kind =
            "checkpoint dropped ("
                + (which == 0 ? "first" : which == n - 1 ? "last" : "middle")
                + ")";
        detail = "dropped checkpoint #" + which + " of " + n;
      }
      case 4 -> {
        int d = c;
        while (d == c) {
          d = r.nextBoolean() ? Math.floorMod(c + 1, n) : r.nextInt(n);
        }
        Collections.swap(notes, c, d);
        kind = "checkpoints reordered";
        detail = "swapped checkpoints #" + c + " and #" + d;
      }
      case 5 -> {
        int at = r.nextInt(n + 1);
        notes.add(at, notes.get(c));
        kind = "checkpoint duplicated";
        detail = "a copy of checkpoint #" + c + " inserted at position " + at;
      }
      default -> {
        byte[] log = pristine.bytes(Layout.CHECKPOINTS);
        int cut = r.nextInt(log.length);
        byte[] kept = new byte[cut];
        System.arraycopy(log, 0, kept, 0, cut);
        write(dir, Layout.CHECKPOINTS, kept);
        return Outcome.reported(
            "checkpoint log cut",
            "checkpoints cut to " + cut + " of " + log.length + " bytes",
            -1,
            Optional.empty());
      }
    }
    writeNotes(dir, notes);
    return Outcome.reported(kind, detail, -1, Optional.empty());
  }

  private static String textOf(String note) {
    return note.substring(0, note.lastIndexOf("\n\n") + 1);
  }

  /** {@code text} with one field changed to a different value. */
  private String editField(
      String text, String field, SplittableRandom r, List<String> notes, int c) {
    String[] lines = text.split("\n");
    int line;
    String value;
    switch (field) {
      case "origin" -> {
        line = 0;
        value = lines[0] + List.of("x", "-2", "/", ".").get(r.nextInt(4));
      }
      case "size" -> {
        line = 1;
        long old = Long.parseLong(lines[1]);
        long size = old;
        while (size == old) {
          size = r.nextBoolean() ? old + r.nextLong(-3, 4) : r.nextLong(pristine.entries() + 10);
          size = Math.max(0, size);
        }
        value = Long.toString(size);
      }
      case "root" -> {
        line = 2;
        byte[] root = Base64.getDecoder().decode(lines[2]);
        root[r.nextInt(root.length)] ^= (byte) (1 << r.nextInt(8));
        value = r.nextBoolean() ? Base64.getEncoder().encodeToString(root) : randomRoot(r);
      }
      case "index" -> {
        line = indexOfPrefix(lines, SignedCheckpoint.INDEX + " ");
        long old = Long.parseLong(lines[line].substring(6));
        long index = old;
        while (index == old) {
          index = r.nextLong(0, notes.size() + 2);
        }
        value = SignedCheckpoint.INDEX + " " + index;
      }
      case "time" -> {
        line = indexOfPrefix(lines, SignedCheckpoint.TIME + " ");
        // Back before the previous checkpoint: the only time edit the records can contradict.
        Instant before =
            c == 0 ? Instant.parse(lines[line].substring(5)) : timeOf(textOf(notes.get(c - 1)));
        value =
            SignedCheckpoint.TIME
                + " "
                + before.minus(Duration.ofMillis(r.nextLong(1, 86_400_000L)));
      }
      default -> {
        line = r.nextInt(lines.length);
        char[] chars = lines[line].toCharArray();
        int at = r.nextInt(chars.length);
        char old = chars[at];
        while (chars[at] == old) {
          chars[at] = (char) r.nextInt(' ', 0x7f);
        }
        value = new String(chars);
      }
    }
    lines[line] = value;
    return String.join("\n", lines) + "\n";
  }

  private static Instant timeOf(String text) {
    String[] lines = text.split("\n");
    return Instant.parse(lines[indexOfPrefix(lines, SignedCheckpoint.TIME + " ")].substring(5));
  }

  private static int indexOfPrefix(String[] lines, String prefix) {
    for (int i = 3; i < lines.length; i++) {
      if (lines[i].startsWith(prefix)) {
        return i;
      }
    }
    throw new IllegalStateException("no '" + prefix + "' line in " + String.join("|", lines));
  }

  private static String randomRoot(SplittableRandom r) {
    byte[] root = new byte[32];
    r.nextBytes(root);
    return Base64.getEncoder().encodeToString(root);
  }

  private NoteSigner signer() {
    return NoteSigner.parse(
        new String(pristine.bytes(Layout.KEYS + "/signing.key"), StandardCharsets.UTF_8).strip());
  }

  private static void writeNotes(Path dir, List<String> notes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String note : notes) {
      out.writeBytes(NoteLog.frame(note));
    }
    write(dir, Layout.CHECKPOINTS, out.toByteArray());
  }

  // ------------------------------------------------------------------ keys

  /**
   * Replaces the public key with a fresh one of the same name; in variants also the private key,
   * and also every checkpoint signature.
   */
  Outcome replaceKey(Path dir, SplittableRandom r) throws IOException {
    NoteSigner fresh =
        NoteSigner.generate(pristine.origin(), new PristineLedger.SeededSecureRandom(r.nextLong()));
    int variant = r.nextInt(4);
    boolean privateToo = variant == 1 || variant == 3;
    boolean resign = variant >= 2;
    write(dir, Layout.KEYS + "/signing.pub", utf8(fresh.verifier().verifierKey() + "\n"));
    if (privateToo) {
      write(dir, Layout.KEYS + "/signing.key", utf8(fresh.signerKey() + "\n"));
    }
    if (resign) {
      List<String> notes = new ArrayList<>();
      for (String note : pristine.checkpointNotes()) {
        notes.add(fresh.sign(textOf(note)));
      }
      writeNotes(dir, notes);
    }
    String kind =
        "key replaced ("
            + (privateToo ? "signing.pub and signing.key" : "signing.pub")
            + (resign ? ", checkpoints re-signed" : "")
            + ")";
    String detail = kind + " by " + fresh.verifier().keyId();
    if (privateToo && resign) {
      return new Outcome(
          kind,
          detail,
          Expect.ONLY_WITH_GIVEN_KEY,
          KEY_AND_SIGNATURES_REPLACED,
          -1,
          Optional.empty(),
          true);
    }
    return new Outcome(kind, detail, Expect.REPORTED, "", -1, Optional.empty(), true);
  }

  // ------------------------------------------------------------------ helpers

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void write(Path dir, String path, byte[] bytes) throws IOException {
    Path p = dir.resolve(path);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }
}
