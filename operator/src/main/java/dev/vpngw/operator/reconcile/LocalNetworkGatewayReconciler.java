package dev.vpngw.operator.reconcile;

import static dev.vpngw.crds.validation.Topology.nameOf;

import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.LocalNetworkGatewayStatus;
import dev.vpngw.crds.validation.Finding;
import dev.vpngw.crds.validation.TopologyValidator;
import dev.vpngw.operator.status.Conditions;
import dev.vpngw.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/** A site's status: Ready from the validator's findings about it; resolvedAddresses for a static gatewayIpAddress. */
@ControllerConfiguration(name = "localnetworkgateway")
public final class LocalNetworkGatewayReconciler implements Reconciler<LocalNetworkGateway> {
  private final ReconcilerSettings settings;
  private final EventRecorder events;
  private final Clock clock;

  public LocalNetworkGatewayReconciler(ReconcilerSettings settings, EventRecorder events, Clock clock) {
    this.settings = settings;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<LocalNetworkGateway> reconcile(LocalNetworkGateway site, Context<LocalNetworkGateway> context) {
    var topology = TopologyLoader.load(context.getClient(), site.getMetadata().getNamespace());
    List<Finding> findings = new TopologyValidator().validate(topology).stream()
        .filter(f -> f.concerns(LocalNetworkGateway.KIND, site.getMetadata().getNamespace(), nameOf(site))).toList();
    Long generation = site.getMetadata().getGeneration();
    var ready = findings.isEmpty()
        ? Conditions.of(Conditions.READY, true, "Valid", "site is valid", generation)
        : Conditions.of(Conditions.READY, false, findings.getFirst().reason(),
            findings.stream().map(Finding::message).collect(Collectors.joining("; ")), generation);
    if (!findings.isEmpty()) {
      events.warning(site, ready.getReason(), ready.getMessage());
    }
    // An fqdn is resolved by the gateway instances (they reach the peer); the operator leaves it to them.
    List<String> resolved = site.getSpec().gatewayIpAddress() == null ? List.of() : List.of(site.getSpec().gatewayIpAddress());
    var previous = site.getStatus() == null ? List.<io.fabric8.kubernetes.api.model.Condition>of() : site.getStatus().conditions();
    var status = new LocalNetworkGatewayStatus(generation, Conditions.merge(previous, List.of(ready), clock), resolved);
    StatusWriter.write(context.getClient(), site, site.getStatus(), status);
    return UpdateControl.<LocalNetworkGateway>noUpdate().rescheduleAfter(settings.pollInterval().toMillis() * 3);
  }
}
