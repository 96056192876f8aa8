package dev.vpngw.dataplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.crds.v1alpha1.ConnectionState;
import dev.vpngw.dataplane.config.Golden;
import dev.vpngw.dataplane.config.TestManifests;
import dev.vpngw.dataplane.status.InstanceStatus;
import dev.vpngw.dataplane.status.StatusJson;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vpngw run} with plan-only engines against an example, driven through its admin endpoint and the CLI. */
class RunCommandTest {
  @TempDir Path dir;

  private Cli running;
  private CompletableFuture<Integer> exit;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (running != null) {
      runCommand().requestStop();
      assertThat(exit.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    }
  }

  private RunCommand runCommand() {
    return (RunCommand) running.commandLine.getSubcommands().get("run").getCommandSpec().userObject();
  }

  private String start(Path manifests, String... extra) throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "t0ken-for-tests\n");
    running = new Cli();
    var args = new java.util.ArrayList<>(java.util.List.of("run", "--engine", "plan-only", "-f", manifests.toString(), "--instance", "0",
        "--admin-port", "0", "--admin-token-file", token.toString(), "--reload-interval", "100ms"));
    args.addAll(java.util.List.of(extra));
    exit = inThread(() -> running.commandLine.execute(args.toArray(String[]::new)));
    Pattern listening = Pattern.compile("admin endpoint listening on (http://\\S+)");
    await().atMost(Duration.ofSeconds(10)).until(() -> listening.matcher(running.out()).find() || exit.isDone());
    var m = listening.matcher(running.out());
    assertThat(m.find()).as("run did not start: %s", running.err()).isTrue();
    return m.group(1);
  }

  /** Runs blocking commands on their own thread (the common pool may have a single thread on 2 cores). */
  private static CompletableFuture<Integer> inThread(java.util.function.Supplier<Integer> command) {
    var f = new CompletableFuture<Integer>();
    Thread.ofPlatform().daemon().start(() -> {
      try {
        f.complete(command.get());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return f;
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private Path copyExample(String name) throws Exception {
    Path target = dir.resolve(name);
    Files.createDirectories(target);
    try (var s = Files.list(Golden.examplesDir().resolve(name))) {
      for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    return target;
  }

  @Test
  void runsPlanOnlyServesStatusAndOperations() throws Exception {
    Path manifests = copyExample("active-active-bgp");
    String admin = start(manifests);
    String token = dir.resolve("token").toString();

    assertThat(running.out()).contains("gateway gw instance 0 (Active) running 1 connection(s) with plan-only engines");
    assertThat(get(admin + "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(admin + "/readyz").statusCode()).as("plan-only engines are never ready").isEqualTo(503);
    InstanceStatus s = StatusJson.read(get(admin + "/status").body());
    assertThat(s.engine()).isEqualTo("plan-only");
    assertThat(s.connections()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("gw-to-onprem");
      assertThat(c.status().connectionStatus()).isEqualTo(ConnectionState.Unknown);
      assertThat(c.status().tunnels()).singleElement()
          .satisfies(t -> assertThat(t.lastError()).isEqualTo("engine not wired"));
      assertThat(c.status().conditions()).anySatisfy(cond -> assertThat(cond.getReason()).isEqualTo("EngineNotWired"));
    });

    Cli table = Cli.run("status", "--admin", admin);
    assertThat(table.exit).as(table.err()).isZero();
    assertThat(table.out()).contains("Gateway gw instance 0 (Active), engine plan-only")
        .containsPattern("gw-to-onprem\\s+0\\s+Unknown\\s+203\\.0\\.113\\.10 <-> 198\\.51\\.100\\.10")
        .contains("engine not wired").doesNotContain("Connected");
    Cli json = Cli.run("status", "--admin", admin, "--json");
    assertThat(StatusJson.read(json.out()).gateway()).isEqualTo("gw");

    Cli reset = Cli.run("reset-connection", "gw-to-onprem", "--admin", admin, "--admin-token-file", token);
    assertThat(reset.exit).as(reset.err()).isZero();
    assertThat(reset.out()).isEqualTo("engine not wired: nothing to reset for gw-to-onprem\n");
    Cli unknown = Cli.run("reset-connection", "nope", "--admin", admin, "--admin-token-file", token);
    assertThat(unknown.exit).isEqualTo(ExitCodes.FAILED);
    assertThat(unknown.err()).isEqualTo("HTTP 404: no running connection named nope\n");
    Cli rekey = Cli.run("rekey", "gw-to-onprem", "--ike", "--admin", admin, "--admin-token-file", token);
    assertThat(rekey.out()).isEqualTo("engine not wired: nothing to rekey for gw-to-onprem\n");
    assertThat(Cli.run("reset", "--admin", admin, "--admin-token-file", token).out()).isEqualTo("engine not wired: nothing to reset\n");
    Files.writeString(dir.resolve("wrong-token"), "nope");
    Cli denied = Cli.run("reset", "--admin", admin, "--admin-token-file", dir.resolve("wrong-token").toString());
    assertThat(denied.exit).isEqualTo(ExitCodes.FAILED);
    assertThat(denied.err()).startsWith("HTTP 401");
    Cli reload = Cli.run("reload", "--admin", admin, "--admin-token-file", token);
    assertThat(reload.out()).isEqualTo("no changes\n");
  }

  @Test
  void fileChangeReloadsOnlyTheDifferenceAndBrokenFilesKeepThePlan() throws Exception {
    Path manifests = copyExample("site-to-site");
    String admin = start(manifests);
    // a second site appears on disk: the watch picks it up
    Files.writeString(manifests.resolve("branch.yaml"), String.join("\n---\n",
        TestManifests.site("branch", "gatewayIpAddress: 198.51.100.20\nlocalNetworkAddressSpace: [198.19.20.0/24]\n"),
        TestManifests.connection("gw-to-branch", """
            connectionType: IPsec
            virtualNetworkGateway1: {name: gw}
            localNetworkGateway2: {name: branch}
            sharedKey: {secretKeyRef: {name: onprem-psk, key: sharedKey}}
            """)));
    await().atMost(Duration.ofSeconds(10)).until(() -> runCommand().runtime().runningConnections().size() == 2);
    assertThat(StatusJson.read(get(admin + "/status").body()).connections())
        .extracting(InstanceStatus.NamedConnectionStatus::name).containsExactly("gw-to-branch", "gw-to-onprem");

    // a broken file: the running plan stays, status says why
    Files.writeString(manifests.resolve("broken.yaml"), "apiVersion: vpngw.dev/v1alpha1\nkind: Connection\nmetadata: {name: x}\nspec: {bogus: 1}\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> StatusJson.read(get(admin + "/status").body()).warnings()
        .stream().anyMatch(w -> w.startsWith("last reload failed, still running the previous manifests:")));
    assertThat(runCommand().runtime().runningConnections()).containsExactly("gw-to-branch", "gw-to-onprem");
    Cli reload = Cli.run("reload", "--admin", admin, "--admin-token-file", dir.resolve("token").toString());
    assertThat(reload.out()).startsWith("reload failed, keeping the running plan:").contains("broken.yaml", "Connection x: spec.");
  }

  @Test
  void twoInstancesInOneTableAndExcludedConnectionsReported() throws Exception {
    Path manifests = copyExample("active-active-bgp");
    Files.writeString(manifests.resolve("extra.yaml"), String.join("\n---\n",
        TestManifests.site("branch", "gatewayIpAddress: 198.51.100.20\nlocalNetworkAddressSpace: [198.19.20.0/24]\n"),
        TestManifests.connection("gw-to-branch", """
            connectionType: IPsec
            virtualNetworkGateway1: {name: gw}
            localNetworkGateway2: {name: branch}
            sharedKey: {secretKeyRef: {name: onprem-psk, key: missing}}
            """)));
    String admin0 = start(manifests);
    assertThat(running.out()).contains("connection gw-to-branch not running: SecretKeyNotFound:"
        + " spec.sharedKey.secretKeyRef.key: Secret onprem-psk has no key missing");
    Cli second = new Cli();
    var exit1 = inThread(() -> second.commandLine.execute("run", "--engine", "plan-only", "-f", manifests.toString(),
        "--instance", "1", "--admin-port", "0", "--reload-interval", "0"));
    Pattern listening = Pattern.compile("admin endpoint listening on (http://\\S+)");
    await().atMost(Duration.ofSeconds(10)).until(() -> listening.matcher(second.out()).find());
    var m = listening.matcher(second.out());
    assertThat(m.find()).isTrue();
    try {
      Cli table = Cli.run("status", "--admin", admin0, "--admin", m.group(1));
      assertThat(table.exit).as(table.err()).isZero();
      assertThat(table.out()).contains("Gateway gw instance 0 (Active)", "Gateway gw instance 1 (Active)")
          .containsPattern("gw-to-onprem\\s+0\\s+Unknown\\s+203\\.0\\.113\\.10 <-> 198\\.51\\.100\\.10")
          .containsPattern("gw-to-onprem\\s+1\\s+Unknown\\s+203\\.0\\.113\\.11 <-> 198\\.51\\.100\\.10")
          .containsPattern("gw-to-branch\\s+1\\s+NotConnected.*SecretKeyNotFound");
    } finally {
      ((RunCommand) second.commandLine.getSubcommands().get("run").getCommandSpec().userObject()).requestStop();
      assertThat(exit1.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void invalidGatewayExitsNonZeroNamingTheField() throws Exception {
    Path manifests = copyExample("site-to-site");
    String yaml = Files.readString(manifests.resolve("site-to-site.yaml")).replace("198.18.0.0/16", "198.18.0.0/16\n    - 198.18.4.0/24");
    Files.writeString(manifests.resolve("site-to-site.yaml"), yaml);
    Cli c = Cli.run("run", "--engine", "plan-only", "-f", manifests.toString(), "--instance", "0", "--admin-port", "0");
    assertThat(c.exit).isEqualTo(ExitCodes.INVALID_CONFIG);
    assertThat(c.err()).contains("the gateway cannot run:", "VirtualNetworkGateway default/gw spec.addressSpace[1]:"
        + " AddressSpaceOverlap");
  }

  @Test
  void statusWithoutAGatewayIsUnreachable() throws Exception {
    int port;
    try (var s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Cli c = Cli.run("status", "--admin", "http://127.0.0.1:" + port);
    assertThat(c.exit).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(c.err()).startsWith("cannot reach the admin endpoint at http://127.0.0.1:" + port);
  }

  @Test
  void operationsNeedAToken() {
    Cli c = Cli.run("reload", "--admin", "http://127.0.0.1:1");
    assertThat(c.exit).isEqualTo(ExitCodes.USAGE);
    assertThat(c.err()).contains("--admin-token-file");
  }

  @Test
  void durations() {
    assertThat(RunCommand.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(RunCommand.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(RunCommand.parseDuration("0")).isEqualTo(Duration.ZERO);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunCommand.parseDuration("soon"))
        .hasMessage("'soon' is not a duration like 5s, 500ms or 1m");
  }
}
