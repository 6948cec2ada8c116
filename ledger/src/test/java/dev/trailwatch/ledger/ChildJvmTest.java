package dev.trailwatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child JVM of the crash tests starts even when surefire runs us from a manifest-only jar. */
class ChildJvmTest {
  @TempDir Path tmp;

  @Test
  void aManifestOnlyJarIsSpelledOutAndStartsTheChild() throws Exception {
    Path testClasses = codeSource(CrashAppender.class);
    Path mainClasses = codeSource(Ledger.class);
    // As surefire writes it: one relative and one absolute URI, directories ending in '/'.
    Path jar = Files.createDirectories(tmp.resolve("booter")).resolve("surefirebooter.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest
        .getMainAttributes()
        .put(
            Attributes.Name.CLASS_PATH,
            relativeUri(jar.getParent(), testClasses) + " " + mainClasses.toUri());
    try (OutputStream file = Files.newOutputStream(jar)) {
      new JarOutputStream(file, manifest).finish(); // the manifest is the whole jar
    }

    String expanded = ChildJvm.expand(jar.toString());
    assertThat(List.of(expanded.split(File.pathSeparator)))
        .containsExactly(jar.toString(), testClasses.toString(), mainClasses.toString());
    for (String classPath : List.of(jar.toString(), expanded)) {
      Path err = tmp.resolve("err-" + classPath.length());
      Process p =
          new ProcessBuilder(ChildJvm.javaBinary(), "-cp", classPath, CrashAppender.class.getName())
              .redirectError(err.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      try {
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("child of %s ended", classPath).isTrue();
        assertThat(p.exitValue()).as("exit (64: usage) with %s", classPath).isEqualTo(64);
        assertThat(Files.readString(err)).as("stderr").startsWith("usage: CrashAppender");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  /** {@code to} as a URI relative to {@code from}, such as {@code ../../work/x/classes/}. */
  private static String relativeUri(Path from, Path to) throws URISyntaxException {
    String path = from.relativize(to).toString().replace(File.separatorChar, '/') + "/";
    return new URI(null, null, path, null).toString();
  }

  private static Path codeSource(Class<?> c) throws URISyntaxException, IOException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toRealPath();
  }
}
