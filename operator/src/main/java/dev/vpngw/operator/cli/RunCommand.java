package dev.vpngw.operator.cli;

import dev.vpngw.operator.MetricsServer;
import dev.vpngw.operator.VpngwOperator;
import dev.vpngw.operator.admin.HttpAdminClient;
import dev.vpngw.operator.reconcile.ReconcilerSettings;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the operator, until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the operator against the current cluster.")
public final class RunCommand implements Callable<Integer> {

  @Mixin
  SettingsOptions settings;

  @Option(names = "--namespace", split = ",", description = "Namespaces to watch (default: all).")
  List<String> namespaces;

  @Option(names = "--metrics-port", defaultValue = "8080", description = "Port of /metrics, /healthz, /readyz (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--poll-interval", defaultValue = "PT10S", description = "Gateway status poll interval, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration pollInterval;

  @Option(names = "--secret-sync-delay", defaultValue = "PT90S",
      description = "Wait after an instance Secret changes before POST /v1/reload when the instance does not report its revision.")
  Duration secretSyncDelay;

  @Option(names = "--leader-election-namespace", description = "Enable leader election with a Lease in this namespace.")
  String leaderElectionNamespace;

  /** A running operator: its HTTP port and a way to stop it. */
  public record Running(io.javaoperatorsdk.operator.Operator operator, MetricsServer http,
      io.fabric8.kubernetes.client.KubernetesClient client) implements AutoCloseable {
    @Override
    public void close() {
      operator.stop();
      http.close();
      client.close();
    }
  }

  /** Starts the operator and its HTTP port; {@link #call()} then waits for SIGTERM. */
  public Running start() throws java.io.IOException {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Both HTTP client factories are on the classpath (JOSDK ships the JDK one); choose explicitly.
    var client = new KubernetesClientBuilder()
        .withHttpClientFactory(new io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory()).build();
    var operator = VpngwOperator.create(client,
        new ReconcilerSettings(settings.toSettings(), pollInterval, secretSyncDelay),
        new HttpAdminClient(Duration.ofSeconds(3)), registry,
        new HashSet<>(namespaces == null ? List.of() : namespaces),
        Optional.ofNullable(leaderElectionNamespace), Clock.systemUTC());
    var http = new MetricsServer(metricsPort, registry, () -> operator.getRuntimeInfo().allEventSourcesAreHealthy());
    http.start();
    operator.start();
    return new Running(operator, http, client);
  }

  @Override
  public Integer call() throws Exception {
    var running = start();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}
