package dev.vpngw.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.operator.Examples;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `run` as the container starts it (flags, client from the environment, HTTP port) against the mock API server. */
class RunCommandTest {

  @Test
  void runStartsTheOperatorWithItsFlagsAndServesMetrics() throws Exception {
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    var server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new io.fabric8.mockwebserver.MockWebServer(),
        new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init();
    try (var setup = server.createClient()) {
      try (var files = Files.list(Examples.repoRoot().resolve("helm/vpngw/crds"))) {
        for (var f : files.sorted().toList()) {
          try (var in = Files.newInputStream(f)) {
            setup.apiextensions().v1().customResourceDefinitions().load(in).create();
          }
        }
      }
      String master = setup.getConfiguration().getMasterUrl();
      System.setProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, master);
      System.setProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
      System.setProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
      System.setProperty(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, "default");
      var cmd = new RunCommand();
      new CommandLine(cmd).parseArgs("--metrics-port=0", "--poll-interval=PT0.5S", "--namespace=default",
          "--dataplane-image=registry.example/vpngw-dataplane:test", "--no-route-agent");
      try (var running = cmd.start()) {
        for (var r : dev.vpngw.crds.ManifestSet.load(Examples.examples().resolve("site-to-site")).topology().virtualNetworkGateways()) {
          setup.resource(r).create();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
          var sts = setup.apps().statefulSets().inNamespace("default").withName("gw-0").get();
          assertThat(sts.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
              .isEqualTo("registry.example/vpngw-dataplane:test");
        });
        assertThat(setup.apps().daemonSets().inNamespace("default").list().getItems()).isEmpty();
        var metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + running.http().port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("vpngw_operator_objects_applied_total");
      }
    } finally {
      System.clearProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);
      System.clearProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY);
      System.clearProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY);
      System.clearProperty(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY);
      server.destroy();
    }
  }
}
