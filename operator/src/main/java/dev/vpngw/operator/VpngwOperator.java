package dev.vpngw.operator;

import dev.vpngw.operator.admin.AdminClient;
import dev.vpngw.operator.reconcile.ConnectionReconciler;
import dev.vpngw.operator.reconcile.EventRecorder;
import dev.vpngw.operator.reconcile.LocalNetworkGatewayReconciler;
import dev.vpngw.operator.reconcile.OperatorMetrics;
import dev.vpngw.operator.reconcile.ReconcilerSettings;
import dev.vpngw.operator.reconcile.VirtualNetworkGatewayReconciler;
import dev.vpngw.operator.status.GatewayObservations;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Wires the three reconcilers into a JOSDK {@link Operator}. Used by {@code run} and by the tests
 * (against the Fabric8 mock server, which answers server-side-apply with 415: so SSA is off for
 * both the primary resources and dependents; status goes through JSON merge patches).
 */
public final class VpngwOperator {
  private VpngwOperator() {}

  /** @param namespaces namespaces to watch; empty: all */
  public static Operator create(KubernetesClient client, ReconcilerSettings settings, AdminClient admin,
      MeterRegistry registry, Set<String> namespaces, Optional<String> leaderElectionNamespace, Clock clock) {
    var metrics = new OperatorMetrics(registry);
    var observations = new GatewayObservations();
    var events = new EventRecorder(client);
    var operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withCloseClientOnStop(false)
          .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build());
      leaderElectionNamespace.ifPresent(ns -> o.withLeaderElectionConfiguration(
          new LeaderElectionConfiguration("vpngw-operator-leader", ns)));
    });
    register(operator, new VirtualNetworkGatewayReconciler(settings, admin, observations, events, metrics, clock), namespaces);
    register(operator, new ConnectionReconciler(settings, admin, observations, events, clock), namespaces);
    register(operator, new LocalNetworkGatewayReconciler(settings, events, clock), namespaces);
    return operator;
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> void register(Operator operator,
      io.javaoperatorsdk.operator.api.reconciler.Reconciler<R> reconciler, Set<String> namespaces) {
    operator.register(reconciler, o -> {
      if (!namespaces.isEmpty()) {
        o.settingNamespaces(namespaces);
      }
    });
  }
}
