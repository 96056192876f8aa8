package dev.vpngw.operator.reconcile;

import static dev.vpngw.crds.validation.Topology.nameOf;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.ConnectionStatus;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.validation.Finding;
import dev.vpngw.crds.validation.Topology;
import dev.vpngw.operator.admin.AdminClient;
import dev.vpngw.operator.desired.InstanceSecrets;
import dev.vpngw.operator.desired.Names;
import dev.vpngw.operator.desired.Selection;
import dev.vpngw.operator.status.ConnectionStatusAggregator;
import dev.vpngw.operator.status.Conditions;
import dev.vpngw.operator.status.GatewayObservations;
import dev.vpngw.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a Connection's status: Ready=False with the validator's reason when the connection (or its
 * site) is at fault — the gateway then leaves it out and the others keep running — otherwise the
 * tunnel, traffic and BGP state its gateway's instances last reported. Also carries out
 * {@code vpngw.dev/reset-connection} and acknowledges shared-key rotation.
 */
@ControllerConfiguration(name = "connection")
public final class ConnectionReconciler implements Reconciler<Connection> {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionReconciler.class);

  private final ReconcilerSettings settings;
  private final AdminClient admin;
  private final GatewayObservations observations;
  private final EventRecorder events;
  private final Clock clock;

  public ConnectionReconciler(ReconcilerSettings settings, AdminClient admin, GatewayObservations observations,
      EventRecorder events, Clock clock) {
    this.settings = settings;
    this.admin = admin;
    this.observations = observations;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<Connection> reconcile(Connection conn, Context<Connection> context) {
    KubernetesClient client = context.getClient();
    String ns = conn.getMetadata().getNamespace();
    Long generation = conn.getMetadata().getGeneration();
    Topology topology = TopologyLoader.load(client, ns);
    var all = new dev.vpngw.crds.validation.TopologyValidator().validate(topology);
    List<Finding> findings = new ArrayList<>(all.stream()
        .filter(f -> f.concerns(Connection.KIND, ns, nameOf(conn))).toList());
    Selection.remoteSite(conn, topology).ifPresent(l -> all.stream()
        .filter(f -> f.concerns(LocalNetworkGateway.KIND, ns, nameOf(l))).forEach(findings::add));
    String gateway = conn.getSpec().virtualNetworkGateway1() == null ? null : conn.getSpec().virtualNetworkGateway1().name();
    Optional<GatewayObservations.Snapshot> snapshot = gateway == null ? Optional.empty() : observations.get(ns, gateway);

    var conditions = new ArrayList<Condition>();
    ConnectionStatus observed = null;
    if (!findings.isEmpty()) {
      Finding first = findings.getFirst();
      String msg = findings.stream().map(f -> f.resourceKind().equals(Connection.KIND) ? f.message()
          : f.resourceKind() + " " + f.resourceName() + ": " + f.message()).collect(Collectors.joining("; "));
      conditions.add(Conditions.of(Conditions.READY, false, first.reason(), msg, generation));
      events.warning(conn, first.reason(), msg);
    } else if (snapshot.isEmpty() || !snapshot.get().includedConnections().contains(nameOf(conn))) {
      conditions.add(Conditions.of(Conditions.READY, Conditions.UNKNOWN, "Provisioning",
          "waiting for VirtualNetworkGateway " + gateway + " to configure its instances", generation));
    } else {
      var result = ConnectionStatusAggregator.aggregate(nameOf(conn), conn.getSpec().enableBgp(), snapshot.get().active(),
          generation);
      observed = result.observed();
      conditions.add(result.ready());
      if (Conditions.FALSE.equals(result.ready().getStatus())) {
        events.warning(conn, result.ready().getReason(), result.ready().getMessage());
      } else {
        events.clear(conn, result.ready().getReason());
      }
      sharedKeyCondition(client, conn, snapshot.get(), generation).ifPresent(conditions::add);
    }
    resetConnection(client, conn, snapshot, generation).ifPresent(conditions::add);

    List<Condition> previous = conn.getStatus() == null ? List.of() : conn.getStatus().conditions();
    var merged = Conditions.merge(previous, conditions, clock);
    var status = observed == null
        ? new ConnectionStatus(generation, null, null, null, List.of(), List.of(), merged)
        : new ConnectionStatus(generation, observed.connectionStatus(), observed.ingressBytesTransferred(),
            observed.egressBytesTransferred(), observed.tunnels(), observed.bgpPeers(), merged);
    StatusWriter.write(client, conn, conn.getStatus(), status);
    return UpdateControl.<Connection>noUpdate().rescheduleAfter(settings.pollInterval().toMillis());
  }

  /** SharedKeyApplied: the Secret version the instances run equals the Secret's current version. */
  private static Optional<Condition> sharedKeyCondition(KubernetesClient client, Connection conn,
      GatewayObservations.Snapshot snapshot, Long generation) {
    var ref = conn.getSpec().sharedKey().secretKeyRef();
    Secret current = client.secrets().inNamespace(conn.getMetadata().getNamespace()).withName(ref.name()).get();
    if (current == null) {
      return Optional.empty();
    }
    String version = current.getMetadata().getResourceVersion();
    boolean inDesired = version != null && version.equals(snapshot.secretVersions().get(ref.name()));
    boolean applied = inDesired && snapshot.configApplied();
    return Optional.of(Conditions.of("SharedKeyApplied", applied, applied ? "Applied" : "Pending",
        "Secret " + ref.name() + " resourceVersion " + version + (applied ? " is in use by every gateway instance"
            : " is not yet confirmed by every gateway instance"), generation));
  }

  private Optional<Condition> resetConnection(KubernetesClient client, Connection conn,
      Optional<GatewayObservations.Snapshot> snapshot, Long generation) {
    var annotations = conn.getMetadata().getAnnotations() == null ? Map.<String, String>of() : conn.getMetadata().getAnnotations();
    String requested = annotations.get(Annotations.RESET_CONNECTION);
    if (requested == null || requested.isBlank()) {
      return Optional.empty();
    }
    if (requested.equals(annotations.get(Annotations.RESET_CONNECTION_ACKNOWLEDGED))) {
      return Optional.of(Conditions.of(ResetOperation.CONDITION, true, "ResetCompleted",
          "reset-connection " + requested + " sent to every active instance", generation));
    }
    var active = snapshot.map(GatewayObservations.Snapshot::active).orElse(List.of()).stream()
        .filter(i -> i.podIp() != null).toList();
    if (active.isEmpty()) {
      return Optional.of(Conditions.of(ResetOperation.CONDITION, false, "GatewayNotReady",
          "reset-connection " + requested + ": no active gateway instance to reset it on", generation));
    }
    String gateway = conn.getSpec().virtualNetworkGateway1().name();
    String ns = conn.getMetadata().getNamespace();
    var failures = new ArrayList<String>();
    for (var i : active) {
      Secret s = client.secrets().inNamespace(ns).withName(Names.configSecret(gateway, i.index())).get();
      String token = s == null ? null : Topology.secretValue(s, InstanceSecrets.TOKEN_KEY)
          .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
      try {
        if (token == null) {
          throw new AdminClient.AdminException("no admin token for instance " + i.index(), 0, null);
        }
        admin.post(i.podIp(), settings.objects().adminPort(), "/v1/connections/" + nameOf(conn) + "/reset", token);
      } catch (AdminClient.AdminException e) {
        failures.add("instance " + i.index() + ": " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      LOG.warn("reset-connection {} of {}/{} failed: {}", requested, ns, nameOf(conn), failures);
      return Optional.of(Conditions.of(ResetOperation.CONDITION, false, "ResetFailed",
          "reset-connection " + requested + ": " + String.join("; ", failures), generation));
    }
    MetadataPatch.annotations(client, Connection.class, ns, nameOf(conn),
        Map.of(Annotations.RESET_CONNECTION_ACKNOWLEDGED, requested));
    events.normal(conn, "ResetConnection", "reset-connection " + requested + " sent to " + active.size() + " instance(s)");
    return Optional.of(Conditions.of(ResetOperation.CONDITION, true, "ResetCompleted",
        "reset-connection " + requested + " sent to every active instance", generation));
  }
}
