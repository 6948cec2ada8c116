package dev.trailwatch.app.server;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import java.util.Set;

/**
 * Tells the HTTP server that {@code Content-Encoding: gzip} is accepted, and hands the compressed
 * bytes through unchanged: {@link dev.trailwatch.ingest.http.BatchDecoder} decompresses them
 * itself, so that a body that is not gzip gets a clear 400 and the size limit counts decompressed
 * bytes. (Helidon's own gzip module is not on Maven Central for this version.)
 */
final class PassThroughGzip implements ContentEncoding {
  @Override
  public Set<String> ids() {
    return Set.of("gzip", "x-gzip", "deflate", "br", "zstd", "compress", "x-compress");
  }

  @Override
  public boolean supportsEncoding() {
    return false;
  }

  @Override
  public boolean supportsDecoding() {
    return true;
  }

  @Override
  public ContentDecoder decoder() {
    return ContentDecoder.NO_OP;
  }

  @Override
  public ContentEncoder encoder() {
    return ContentEncoder.NO_OP;
  }

  @Override
  public String name() {
    return "gzip-pass-through";
  }

  @Override
  public String type() {
    return "gzip";
  }
}
