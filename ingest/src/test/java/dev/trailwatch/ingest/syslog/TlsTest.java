package dev.trailwatch.ingest.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trailwatch.event.AccessEvent;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog over TLS (RFC 5425) with a self-signed certificate made by {@code keytool}: a Java {@link
 * SSLSocket} client, and {@code openssl s_client} as a third-party one.
 */
class TlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final String KEYTOOL =
      Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

  @TempDir static Path dir;
  private static Path keyStoreFile;
  private static KeyStore keyStore;

  private TestSinks.Collecting sink;
  private SyslogServer server;

  @BeforeAll
  static void makeCertificate() throws Exception {
    keyStoreFile = dir.resolve("server.p12");
    Processes.run(
        List.of(
            KEYTOOL,
            "-genkeypair",
            "-alias",
            "trailwatch",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=ip:127.0.0.1,dns:localhost",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            keyStoreFile.toString(),
            "-storepass",
            new String(PASSWORD),
            "-keypass",
            new String(PASSWORD)),
        "");
    keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStoreFile)) {
      keyStore.load(in, PASSWORD);
    }
  }

  private static SSLContext serverContext() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, PASSWORD);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(kmf.getKeyManagers(), null, null);
    return c;
  }

  private static SSLContext clientContext() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("trailwatch", keyStore.getCertificate("trailwatch"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, tmf.getTrustManagers(), null);
    return c;
  }

  @BeforeEach
  void start() throws Exception {
    sink = new TestSinks.Collecting();
    server =
        SyslogServer.start(
            SyslogConfig.defaults()
                .withTls(0, serverContext())
                .withBatching(16, java.time.Duration.ofMillis(5)),
            TestFormat.create(),
            sink);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SSLSocket connect() throws Exception {
    SSLSocket s =
        (SSLSocket)
            clientContext()
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.tlsPort().getAsInt());
    s.startHandshake();
    return s;
  }

  @Test
  void octetCountedFramesOverTls() throws Exception {
    try (SSLSocket s = connect()) {
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < 200; i++) {
        out.write(
            SyslogServerTest.octet("<86>1 2026-11-22T08:00:00Z host-t twtest 9 - - tls " + i)
                .getBytes(UTF_8));
      }
      out.flush();
      Await.until("200 events", () -> sink.size() == 200, server::stats);
    }
    Map<String, AccessEvent> got = SyslogServerTest.byText(sink.events());
    assertThat(got).hasSize(200);
    assertThat(got.get("tls 199").hostName()).hasValue("host-t");
    assertThat(got.get("tls 199").labels())
        .containsEntry("syslog.transport", "tls")
        .containsEntry("syslog.peer", "127.0.0.1");
    assertThat(server.stats().tlsReceived()).isEqualTo(200);
  }

  @Test
  void closingTheServerWithAnIdleTlsConnectionLosesNothing() throws Exception {
    try (SSLSocket s = connect()) {
      // One write, so one TLS record: once the first message is counted, the cut frame after it
      // has been read too (two writes could arrive as two records, the second still unread
      // when close() stops reading, which is what close() promises).
      s.getOutputStream()
          .write(
              (SyslogServerTest.octet("<13>Nov 22 08:00:01 host-t twtest: before close")
                      + "40 <13>Nov 22") // a frame cut short
                  .getBytes(UTF_8));
      s.getOutputStream().flush();
      Await.until("the message read", () -> server.stats().tlsReceived() == 1, server::stats);
      server.close(); // the connection's thread is blocked reading: closing must unblock it
      assertThat(sink.events()).hasSize(2);
      assertThat(SyslogServerTest.byText(sink.events())).containsOnlyKeys("before close");
      assertThat(sink.events().get(1).message()).hasValue("40 <13>Nov 22");
    }
  }

  @Test
  void aPlainClientOnTheTlsPortFailsTheHandshake() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.tlsPort().getAsInt())) {
      s.getOutputStream().write("<13>Nov 22 08:00:01 host-t twtest: plain\n".getBytes(UTF_8));
      s.setSoTimeout((int) Await.CEILING.toMillis());
      InputStream in = s.getInputStream();
      try {
        while (in.read() >= 0) {
          // the server's alert, then the end
        }
      } catch (java.net.SocketException e) {
        // reset: closed too
      }
    }
    Await.until(
        "the failure counted", () -> server.stats().tlsHandshakeFailures() == 1, server::stats);
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void opensslClient() throws Exception {
    assumeTrue(Processes.installed("/usr/bin/openssl"), "openssl is not installed");
    Path ca = dir.resolve("ca.pem");
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes(UTF_8))
                .encodeToString(keyStore.getCertificate("trailwatch").getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    Files.writeString(ca, pem);
    StringBuilder frames = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      frames.append(
          SyslogServerTest.octet("<13>1 2026-11-22T08:00:00Z host-o twapp - - - openssl " + i));
    }
    Processes.run(
        List.of(
            "/usr/bin/openssl",
            "s_client",
            "-connect",
            "127.0.0.1:" + server.tlsPort().getAsInt(),
            "-CAfile",
            ca.toString(),
            "-verify_return_error",
            "-verify_ip",
            "127.0.0.1",
            "-quiet",
            "-no_ign_eof"),
        frames.toString());
    Await.until("20 events", () -> sink.size() == 20, server::stats);
    Map<String, AccessEvent> got = SyslogServerTest.byText(sink.events());
    assertThat(got).hasSize(20);
    assertThat(got.get("openssl 5").serviceName()).hasValue("twapp");
    assertThat(got.get("openssl 5").labels()).containsEntry("syslog.transport", "tls");
  }
}
