package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.ledger.EntryIterator;
import dev.trailwatch.ledger.LedgerReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog over TLS as a user configures it: a PKCS#12 keystore made by {@code keytool}, named in
 * {@code syslog.tls}, and an octet-counted RFC 5425 client.
 */
class SyslogTlsServeTest {
  @TempDir Path dir;

  @Test
  void tlsFromTheConfigurationStoresWhatItReceives() throws Exception {
    Path p12 = dir.resolve("syslog.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process kt =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "trailwatch",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    kt.getInputStream().readAllBytes();
    assertThat(kt.waitFor()).isZero();

    ServerConfig base = ServerTest.config();
    ServerConfig config =
        new ServerConfig(
            base.http(),
            new ServerConfig.Syslog(
                null, -1, -1, 0, new ServerConfig.Tls(p12, "changeit"), null, null),
            null,
            null,
            null,
            null,
            null);
    Path data = dir.resolve("data");
    Server server = Server.start(data, config, Map.of());
    try {
      int port = server.syslog().orElseThrow().tlsPort().orElseThrow();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(p12)) {
        ks.load(in, "changeit".toCharArray());
      }
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("trailwatch", ks.getCertificate("trailwatch"));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      String msg =
          "<38>1 2026-11-22T10:00:00Z bastion sshd 77 - - Failed password for root from"
              + " 198.51.100.20 port 40000 ssh2";
      try (SSLSocket s =
          (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
        s.startHandshake();
        OutputStream out = s.getOutputStream();
        out.write(
            (msg.getBytes(StandardCharsets.UTF_8).length + " " + msg)
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.ledger().size() < 1 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
      }
      assertThat(server.ledger().size()).isEqualTo(1);
    } finally {
      server.close();
    }
    try (LedgerReader reader = LedgerReader.open(data);
        EntryIterator it = reader.entries(0)) {
      assertThat(it.next()).isTrue();
      AccessEvent e = EventJson.decodeCanonical(it.entry().payload());
      assertThat(e.event().action()).isEqualTo("ssh_login");
      assertThat(e.labels()).containsEntry("syslog.transport", "tls");
    }
  }

  @Test
  void aWrongKeystorePasswordSaysWhichSetting() throws Exception {
    Path notAKeystore = dir.resolve("x.p12");
    Files.writeString(notAKeystore, "not a keystore");
    ServerConfig.Tls tls = new ServerConfig.Tls(notAKeystore, "changeit");
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageContaining("syslog.tls.keystore: cannot use");
  }
}
