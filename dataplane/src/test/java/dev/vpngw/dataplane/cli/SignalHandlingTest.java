package dev.vpngw.dataplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.config.Golden;
import dev.vpngw.dataplane.config.TestManifests;
import dev.vpngw.dataplane.status.StatusJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vpngw run} as a real process: SIGHUP reloads, SIGTERM shuts down and frees the admin port. */
class SignalHandlingTest {
  @TempDir Path dir;
  private Process process;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void sighupReloadsAndSigtermStops() throws Exception {
    Path manifests = Files.createDirectories(dir.resolve("m"));
    Files.copy(Golden.examplesDir().resolve("site-to-site/site-to-site.yaml"), manifests.resolve("site-to-site.yaml"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        VpngwCommand.class.getName(), "run", "--engine", "plan-only", "-f", manifests.toString(), "--instance", "0", "--admin-port", "0",
        "--reload-interval", "0"))
        .redirectError(dir.resolve("stderr.txt").toFile()).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> {
      try (var r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        r.lines().forEach(lines::add);
      } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
        // process ended
      }
    });
    Pattern listening = Pattern.compile("admin endpoint listening on (http://\\S+)");
    String admin = null;
    while (admin == null) {
      String line = lines.poll(30, TimeUnit.SECONDS);
      assertThat(line).as("no admin address; stderr: %s", Files.readString(dir.resolve("stderr.txt"))).isNotNull();
      var m = listening.matcher(line);
      if (m.find()) {
        admin = m.group(1);
      }
    }
    var http = HttpClient.newHttpClient();
    URI status = URI.create(admin + "/status");
    assertThat(StatusJson.read(http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString())
        .body()).connections()).hasSize(1);

    Files.writeString(manifests.resolve("branch.yaml"), String.join("\n---\n",
        TestManifests.site("branch", "gatewayIpAddress: 198.51.100.20\nlocalNetworkAddressSpace: [198.19.20.0/24]\n"),
        TestManifests.connection("gw-to-branch", """
            connectionType: IPsec
            virtualNetworkGateway1: {name: gw}
            localNetworkGateway2: {name: branch}
            sharedKey: {secretKeyRef: {name: onprem-psk, key: sharedKey}}
            """)));
    assertThat(new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start().waitFor()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> StatusJson.read(http.send(HttpRequest.newBuilder(status).build(),
        HttpResponse.BodyHandlers.ofString()).body()).connections().size() == 2);

    process.destroy(); // SIGTERM
    assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
    assertThat(process.exitValue()).isEqualTo(143);
    assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("gateway instance stopped");
    try {
      http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString());
      throw new AssertionError("admin endpoint still answers after SIGTERM");
    } catch (ConnectException expected) {
      // port released
    }
  }
}
