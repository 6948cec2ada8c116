package dev.trailwatch.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailwatch.event.AccessEvent;
import dev.trailwatch.event.EventJson;
import dev.trailwatch.ledger.EntryIterator;
import dev.trailwatch.ledger.LedgerReader;
import dev.trailwatch.ledger.Verifier;
import dev.trailwatch.ledger.VerifyReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trailwatch serve} in a child JVM, killed with SIGKILL while four HTTP clients send
 * batches; after a restart every batch that got a 2xx is stored exactly once and the ledger
 * verifies. Repeated over several kills at random moments.
 */
class ServeCrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedBatchSurvivesSigkillExactlyOnce() throws Exception {
    long seed = Long.getLong("trailwatch.seed", System.nanoTime());
    System.out.println(
        "ServeCrashTest seed: " + seed + " (replay: -Dtrailwatch.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    Path data = dir.resolve("data");
    Map<String, Long> acknowledged = new ConcurrentHashMap<>(); // event id -> seq
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int kills = 3;
    for (int round = 0; round < kills; round++) {
      ServeChild child = ServeChild.start(data, dir);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int client = c;
        int r = round;
        Thread t =
            new Thread(
                () -> {
                  for (int batch = 0; !stop.get(); batch++) {
                    StringBuilder body = new StringBuilder();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                      String id = "r" + r + "-c" + client + "-b" + batch + "-e" + i;
                      ids.add(id);
                      body.append("{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"event\":{\"action\":")
                          .append("\"login\",\"outcome\":\"success\",\"id\":\"")
                          .append(id)
                          .append("\"},\"user\":{\"name\":\"u")
                          .append(i)
                          .append("\"}}\n");
                    }
                    try {
                      HttpResponse<String> res =
                          http.send(
                              HttpRequest.newBuilder(
                                      URI.create(
                                          "http://127.0.0.1:" + child.port() + "/api/v1/events"))
                                  .header("Authorization", "Bearer " + ServeChild.ADMIN_TOKEN)
                                  .header("Content-Type", "application/x-ndjson")
                                  .timeout(Duration.ofSeconds(20))
                                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                      if (res.statusCode() / 100 == 2) {
                        JsonNode j = ServerTest.JSON.readTree(res.body());
                        long first = j.get("first_seq").asLong();
                        for (int i = 0; i < ids.size(); i++) {
                          acknowledged.put(ids.get(i), first + i);
                        }
                      }
                    } catch (IOException e) {
                      return; // the server is gone
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                },
                "client-" + c);
        t.start();
        clients.add(t);
      }
      Thread.sleep(300 + random.nextInt(1500));
      child.process().destroyForcibly(); // SIGKILL
      child.process().waitFor();
      stop.set(true);
      for (Thread t : clients) {
        t.join(30_000);
      }
    }
    // A last start recovers the ledger; stop it in order.
    ServeChild last = ServeChild.start(data, dir);
    last.process().destroy(); // SIGTERM: a final checkpoint, exit 0
    assertThat(last.process().waitFor()).as("exit code after SIGTERM").isZero();

    Map<String, Integer> copies = new HashMap<>();
    Map<String, Long> where = new HashMap<>();
    try (LedgerReader reader = LedgerReader.open(data);
        EntryIterator it = reader.entries(0)) {
      while (it.next()) {
        AccessEvent e = EventJson.decodeCanonical(it.entry().payload());
        String id = e.event().id().orElseThrow();
        copies.merge(id, 1, Integer::sum);
        where.put(id, it.entry().seq());
      }
    }
    System.out.println(
        "ServeCrashTest: "
            + acknowledged.size()
            + " events acknowledged, "
            + copies.size()
            + " stored");
    assertThat(acknowledged).as("some batches were acknowledged").isNotEmpty();
    for (Map.Entry<String, Long> a : acknowledged.entrySet()) {
      assertThat(copies.get(a.getKey())).as("copies of acknowledged " + a.getKey()).isEqualTo(1);
      assertThat(where.get(a.getKey())).as("seq of " + a.getKey()).isEqualTo(a.getValue());
    }
    assertThat(copies.values()).as("nothing is stored twice").allMatch(n -> n == 1);
    VerifyReport report =
        Verifier.verify(
            new Verifier.Options(data, Optional.empty(), Optional.empty(), (d, t) -> {}));
    assertThat(report.problems()).isEmpty();
    assertThat(Files.exists(data.resolve("admin.token"))).isFalse(); // token came from the env
  }
}
