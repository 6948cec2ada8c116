package dev.trailwatch.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The segment the writer appends to. Two ways to write it:
 *
 * <ul>
 *   <li><b>Direct</b> ({@code O_DIRECT}): writes bypass the page cache. On hosts that reclaim page
 *       cache eagerly (this project's CI machines do), a buffered write pays for every new page it
 *       dirties, which made the kernel's page allocation, not the disk, the limit of append. Direct
 *       writes must start at a block boundary and cover whole blocks, so the last partial block is
 *       kept in memory and written again, with the new records after it, by the next append; what
 *       follows the last record up to the block end is zeros. {@link SegmentReader} reads such zero
 *       padding at the end of a file as the end of the records, recovery cuts it off, and sealing
 *       or closing a segment truncates it away.
 *   <li><b>Buffered</b>: plain writes, where the file system cannot do direct I/O (tmpfs, some
 *       network file systems) or it is turned off.
 * </ul>
 *
 * <p>Appends and {@link #seal()} come from the writer thread; {@link #force()} comes from the sync
 * thread, and does nothing once the writer has sealed the segment (sealing forces it).
 */
abstract sealed class ActiveSegment permits ActiveSegment.Direct, ActiveSegment.Buffered {
  private static final System.Logger LOG = System.getLogger(ActiveSegment.class.getName());

  final Path file;
  final long baseSeq;
  final FileChannel channel;

  /** Bytes of records (and header) in the file: where the next record goes. */
  volatile long logical;

  private boolean sealed;

  private ActiveSegment(Path file, long baseSeq, FileChannel channel, long logical) {
    this.file = file;
    this.baseSeq = baseSeq;
    this.channel = channel;
    this.logical = logical;
  }

  /** Creates a new segment file holding only its header (not yet fsynced). */
  static ActiveSegment create(Path file, long baseSeq, boolean direct) throws IOException {
    ActiveSegment s = open(file, baseSeq, 0, direct, true);
    byte[] header = SegmentFormat.header(baseSeq);
    s.append(header, 0, header.length);
    return s;
  }

  /**
   * Continues an existing segment whose records end at {@code end} (found by recovery); anything
   * after it (a torn write, zero padding) is cut off first.
   */
  static ActiveSegment reopen(Path file, long baseSeq, long end, boolean direct)
      throws IOException {
    if (Files.size(file) > end) {
      DurableFiles.truncate(file, end);
    }
    return open(file, baseSeq, end, direct, false);
  }

  private static ActiveSegment open(
      Path file, long baseSeq, long end, boolean direct, boolean create) throws IOException {
    Set<OpenOption> options =
        create
            ? Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ)
            : Set.of(StandardOpenOption.WRITE, StandardOpenOption.READ);
    if (direct) {
      try {
        return Direct.open(file, baseSeq, end, options);
      } catch (IOException | UnsupportedOperationException e) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "direct I/O not available for {0} ({1}); writing through the page cache",
            file,
            e.toString());
        if (create) {
          Files.deleteIfExists(file);
        }
      }
    }
    return new Buffered(file, baseSeq, FileChannel.open(file, options), end);
  }

  /** Appends {@code data[off, off + len)} after the last record. */
  abstract void append(byte[] data, int off, int len) throws IOException;

  /** Makes every append so far durable (fdatasync); nothing to do once sealed. */
  synchronized void force() throws IOException {
    if (!sealed) {
      channel.force(false);
    }
  }

  /** Cuts any padding after the last record, makes the segment durable, and closes it. */
  synchronized void seal() throws IOException {
    if (sealed) {
      return;
    }
    long end = logical;
    if (channel.size() > end) {
      channel.truncate(end);
    }
    channel.force(true);
    channel.close();
    sealed = true;
  }

  /** Closes without making anything durable (after a failure). */
  synchronized void abandon() {
    sealed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // nothing more to lose
    }
  }

  abstract boolean isDirect();

  /** Plain buffered writes. */
  static final class Buffered extends ActiveSegment {
    Buffered(Path file, long baseSeq, FileChannel channel, long end) {
      super(file, baseSeq, channel, end);
    }

    @Override
    void append(byte[] data, int off, int len) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(data, off, len);
      long pos = logical;
      while (buf.hasRemaining()) {
        pos += channel.write(buf, pos);
      }
      logical = pos;
    }

    @Override
    boolean isDirect() {
      return false;
    }
  }

  /** {@code O_DIRECT} writes of whole blocks, from an aligned staging buffer. */
  static final class Direct extends ActiveSegment {
    private static final int STAGING = 8 << 20;

    private final int block;
    private final ByteBuffer staging;
    private final byte[] tail;
    private int tailLength;

    private Direct(Path file, long baseSeq, FileChannel channel, long end, int block)
        throws IOException {
      super(file, baseSeq, channel, end);
      this.block = block;
      this.staging = ByteBuffer.allocateDirect(STAGING + block).alignedSlice(block);
      this.tail = new byte[block];
      this.tailLength = (int) (end % block);
      if (tailLength > 0) {
        // The last partial block is written again with the next records: read it back, through
        // the page cache, since a direct read of a file whose size is not a whole number of
        // blocks ends in an unaligned read, which the kernel refuses.
        ByteBuffer b = ByteBuffer.wrap(tail, 0, tailLength);
        long at = end - tailLength;
        try (FileChannel plain = FileChannel.open(file, StandardOpenOption.READ)) {
          while (b.hasRemaining()) {
            if (plain.read(b, at + b.position()) < 0) {
              throw new IOException(file + " is shorter than its recovered end " + end);
            }
          }
        }
      }
    }

    static Direct open(Path file, long baseSeq, long end, Set<OpenOption> options)
        throws IOException {
      int block =
          (int) Math.max(512, Files.getFileStore(file.toAbsolutePath().getParent()).getBlockSize());
      if (block > 1 << 16 || Integer.bitCount(block) != 1) {
        throw new IOException("unusual block size " + block);
      }
      Set<OpenOption> direct = new java.util.HashSet<>(options);
      direct.add(directOption());
      FileChannel ch = FileChannel.open(file, direct);
      try {
        return new Direct(file, baseSeq, ch, end, block);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }

    /**
     * The JDK's {@code ExtendedOpenOption.DIRECT}, looked up at run time: it lives in module
     * jdk.unsupported, which a JDK may leave out.
     */
    static OpenOption directOption() throws IOException {
      try {
        return (OpenOption)
            Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new IOException("this JDK offers no direct I/O option", e);
      }
    }

    @Override
    void append(byte[] data, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, STAGING - tailLength);
        staging.clear();
        staging.put(tail, 0, tailLength);
        staging.put(data, off, n);
        int used = tailLength + n;
        int padded = (used + block - 1) / block * block;
        while (staging.position() < padded) {
          staging.put((byte) 0);
        }
        staging.flip();
        long at = logical - tailLength;
        while (staging.hasRemaining()) {
          int w = channel.write(staging, at + staging.position());
          if (w <= 0) {
            throw new IOException("direct write of " + file + " made no progress");
          }
        }
        int newTail = used % block;
        staging.get(used - newTail, tail, 0, newTail);
        tailLength = newTail;
        logical += n;
        off += n;
        len -= n;
      }
    }

    @Override
    boolean isDirect() {
      return true;
    }
  }
}
