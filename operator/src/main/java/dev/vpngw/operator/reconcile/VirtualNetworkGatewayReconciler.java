package dev.vpngw.operator.reconcile;

import static dev.vpngw.crds.validation.Topology.nameOf;

import dev.vpngw.crds.v1alpha1.BgpPeerState;
import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.GatewayInstanceState;
import dev.vpngw.crds.v1alpha1.GatewayInstanceStatus;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGatewayStatus;
import dev.vpngw.crds.validation.Finding;
import dev.vpngw.crds.validation.Topology;
import dev.vpngw.operator.admin.AdminClient;
import dev.vpngw.operator.admin.InstanceReport;
import dev.vpngw.operator.desired.DesiredGateway;
import dev.vpngw.operator.desired.GatewayDesiredState;
import dev.vpngw.operator.desired.GatewayInputs;
import dev.vpngw.operator.desired.InstanceConfig;
import dev.vpngw.operator.desired.InstanceSecrets;
import dev.vpngw.operator.desired.Labels;
import dev.vpngw.operator.desired.Names;
import dev.vpngw.operator.status.Conditions;
import dev.vpngw.operator.status.GatewayObservations;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a VirtualNetworkGateway: validates the namespace's topology, applies the desired
 * objects (instance Secrets, Services, budget, StatefulSets, route agent), decides who is active,
 * runs the reset operation, polls the instances' admin endpoints, asks them to reload a changed
 * configuration, and writes the gateway's status. Reschedules itself every poll interval.
 */
@ControllerConfiguration(name = "virtualnetworkgateway")
public final class VirtualNetworkGatewayReconciler implements Reconciler<VirtualNetworkGateway>, Cleaner<VirtualNetworkGateway> {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualNetworkGatewayReconciler.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ReconcilerSettings settings;
  private final AdminClient admin;
  private final GatewayObservations observations;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final Map<String, Memory> memory = new ConcurrentHashMap<>();

  /** Per-gateway facts that do not belong in status (decision state stays in memory, per JOSDK practice). */
  private static final class Memory {
    Optional<Integer> lastActive = Optional.empty();
    Optional<Instant> lostSince = Optional.empty();
    Condition takeover;
    final Map<Integer, Instant> revisionSeen = new ConcurrentHashMap<>();
    final Map<Integer, String> revisionSeenValue = new ConcurrentHashMap<>();
  }

  public VirtualNetworkGatewayReconciler(ReconcilerSettings settings, AdminClient admin, GatewayObservations observations,
      EventRecorder events, OperatorMetrics metrics, Clock clock) {
    this.settings = settings;
    this.admin = admin;
    this.observations = observations;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, VirtualNetworkGateway>> prepareEventSources(EventSourceContext<VirtualNetworkGateway> context) {
    var connections = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Connection.class, VirtualNetworkGateway.class)
            .withName("connections")
            .withSecondaryToPrimaryMapper(c -> gatewaysOf(c))
            .build(), context);
    var sites = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(LocalNetworkGateway.class, VirtualNetworkGateway.class)
            .withName("sites")
            .withSecondaryToPrimaryMapper(l -> connections.list(l.getMetadata().getNamespace())
                .filter(c -> c.getSpec() != null && c.getSpec().localNetworkGateway2() != null
                    && nameOf(l).equals(c.getSpec().localNetworkGateway2().name()))
                .flatMap(c -> gatewaysOf(c).stream())
                .collect(Collectors.toSet()))
            .build(), context);
    var pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, VirtualNetworkGateway.class)
            .withName("gateway-pods")
            .withLabelSelector(Labels.MANAGED_SELECTOR + "," + Labels.COMPONENT + "=gateway")
            .withSecondaryToPrimaryMapper(p -> p.getMetadata().getLabels() == null
                || p.getMetadata().getLabels().get(Labels.GATEWAY) == null ? Set.of()
                : Set.of(new ResourceID(p.getMetadata().getLabels().get(Labels.GATEWAY), p.getMetadata().getNamespace())))
            .build(), context);
    return List.of(connections, sites, pods);
  }

  private static Set<ResourceID> gatewaysOf(Connection c) {
    var out = new HashSet<ResourceID>();
    if (c.getSpec() != null && c.getSpec().virtualNetworkGateway1() != null) {
      out.add(new ResourceID(c.getSpec().virtualNetworkGateway1().name(), c.getMetadata().getNamespace()));
    }
    return out;
  }

  @Override
  public UpdateControl<VirtualNetworkGateway> reconcile(VirtualNetworkGateway gw, Context<VirtualNetworkGateway> context) {
    KubernetesClient client = context.getClient();
    String ns = gw.getMetadata().getNamespace();
    String name = nameOf(gw);
    Memory mem = memory.computeIfAbsent(ns + "/" + name, k -> new Memory());
    Instant now = clock.instant();

    Topology topology = TopologyLoader.load(client, ns);
    // Use the gateway as this reconcile sees it (its uid for owner references).
    topology = replaceGateway(topology, gw);

    Map<Integer, PodView> pods = pods(client, ns, name);
    var decision = Takeover.decide(gw.getSpec().activeActive(), pods, mem.lastActive, mem.lostSince, now);
    mem.lostSince = decision.lostSince();
    decision.event().ifPresent(e -> recordTakeover(gw, mem, e));
    applyRoles(client, ns, pods, decision.roles());
    decision.roles().entrySet().stream().filter(en -> Labels.ROLE_ACTIVE.equals(en.getValue())
            && pods.get(en.getKey()) != null && pods.get(en.getKey()).serving())
        .map(Map.Entry::getKey).findFirst().ifPresent(i -> mem.lastActive = Optional.of(i));
    List<String> nextHops = decision.roles().entrySet().stream()
        .filter(en -> Labels.ROLE_ACTIVE.equals(en.getValue()))
        .map(en -> pods.get(en.getKey()))
        .filter(p -> p != null && p.serving() && p.ip() != null)
        .map(PodView::ip).sorted().toList();

    List<String> tokens = tokens(client, ns, name);
    DesiredGateway desired = GatewayDesiredState.desired(new GatewayInputs(gw, topology, tokens, nextHops), settings.objects());
    if (!desired.selection().excluded().isEmpty()) {
      LOG.debug("gateway {}/{}: connections left out: {}", ns, name, desired.selection().findings());
    }
    var applier = new Applier(client);
    for (HasMetadata o : desired.objects()) {
      var outcome = applier.apply(o);
      if (outcome != Applier.Outcome.UNCHANGED) {
        LOG.info("{} {} {}/{}", outcome.name().toLowerCase(), o.getKind(), ns, o.getMetadata().getName());
        metrics.applied(o.getKind(), outcome.name());
      }
    }

    Optional<Condition> reset = ResetOperation.step(client, gw, pods, events);

    var instances = poll(gw, pods, decision.roles(), desired, tokens, mem, now);
    var secretVersions = new TreeMap<String, String>();
    InstanceConfig.referencedSecrets(desired.selection().included(), topology)
        .forEach((n, s) -> secretVersions.put(n, s.getMetadata().getResourceVersion()));
    observations.put(ns, name, new GatewayObservations.Snapshot(instances, desired.configRevisions(), secretVersions,
        desired.selection().included().stream().map(Topology::nameOf).collect(Collectors.toSet()), now));

    writeStatus(client, gw, desired, pods, decision.roles(), instances, mem, reset);
    return UpdateControl.<VirtualNetworkGateway>noUpdate().rescheduleAfter(settings.pollInterval().toMillis());
  }

  private static Topology replaceGateway(Topology t, VirtualNetworkGateway gw) {
    var vngs = new ArrayList<VirtualNetworkGateway>();
    t.virtualNetworkGateways().stream().filter(v -> !nameOf(v).equals(nameOf(gw))).forEach(vngs::add);
    vngs.add(gw);
    return new Topology(vngs, t.localNetworkGateways(), t.connections(), t.secrets());
  }

  static Map<Integer, PodView> pods(KubernetesClient client, String ns, String gateway) {
    var out = new TreeMap<Integer, PodView>();
    for (Pod p : client.pods().inNamespace(ns).withLabels(Labels.gatewayPods(gateway)).list().getItems()) {
      PodView.of(p).filter(v -> v.instance() >= 0 && v.instance() < GatewayDesiredState.INSTANCES)
          .ifPresent(v -> out.put(v.instance(), v));
    }
    return out;
  }

  private void applyRoles(KubernetesClient client, String ns, Map<Integer, PodView> pods, Map<Integer, String> roles) {
    // Demote first, then promote: never two active pods behind the active-standby Service.
    for (boolean promote : new boolean[] {false, true}) {
      roles.forEach((i, role) -> {
        PodView p = pods.get(i);
        if (p == null || role.equals(p.role()) || Labels.ROLE_ACTIVE.equals(role) != promote) {
          return;
        }
        try {
          MetadataPatch.labels(client, Pod.class, ns, p.name(), Map.of(Labels.ROLE, role));
        } catch (KubernetesClientException e) {
          LOG.warn("cannot label pod {}/{} {}={}: {}", ns, p.name(), Labels.ROLE, role, e.getMessage());
        }
      });
    }
  }

  private void recordTakeover(VirtualNetworkGateway gw, Memory mem, Takeover.Event e) {
    double seconds = e.took().toMillis() / 1000.0;
    String msg = e.from() == e.to()
        ? String.format("instance %d is active again, %.3f s after the loss was detected at %s", e.to(), seconds, e.lostAt())
        : String.format("instance %d took over from instance %d in %.3f s (loss detected at %s until the standby was relabelled active)",
            e.to(), e.from(), seconds, e.lostAt());
    mem.takeover = Conditions.of("Takeover", true, "StandbyTookOver", msg, gw.getMetadata().getGeneration());
    metrics.takeover(e.took());
    events.normal(gw, "StandbyTookOver", msg);
    LOG.info("gateway {}/{}: {}", gw.getMetadata().getNamespace(), nameOf(gw), msg);
  }

  /** Tokens from the existing instance Secrets, new random ones where none exist yet. */
  private static List<String> tokens(KubernetesClient client, String ns, String gateway) {
    var out = new ArrayList<String>();
    for (int i = 0; i < GatewayDesiredState.INSTANCES; i++) {
      Secret s = client.secrets().inNamespace(ns).withName(Names.configSecret(gateway, i)).get();
      out.add(Optional.ofNullable(s).flatMap(sec -> Topology.secretValue(sec, InstanceSecrets.TOKEN_KEY))
          .map(b -> new String(b, StandardCharsets.UTF_8)).filter(t -> !t.isBlank())
          .orElseGet(VirtualNetworkGatewayReconciler::newToken));
    }
    return out;
  }

  static String newToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Polls every pod that has an IP; asks for a reload where the running configuration is stale. */
  private List<GatewayObservations.Instance> poll(VirtualNetworkGateway gw, Map<Integer, PodView> pods,
      Map<Integer, String> roles, DesiredGateway desired, List<String> tokens, Memory mem, Instant now) {
    var out = new ArrayList<GatewayObservations.Instance>();
    int port = settings.objects().adminPort();
    for (PodView p : pods.values()) {
      boolean active = Labels.ROLE_ACTIVE.equals(roles.get(p.instance())) && p.serving();
      if (p.ip() == null || p.terminating()) {
        out.add(new GatewayObservations.Instance(p.instance(), p.name(), p.ip(), false, false, Optional.empty(),
            Optional.of("pod has no IP yet"), Optional.empty()));
        continue;
      }
      Optional<InstanceReport> report = Optional.empty();
      Optional<String> error = Optional.empty();
      try {
        report = Optional.of(admin.status(p.ip(), port));
        metrics.poll(true);
      } catch (AdminClient.AdminException e) {
        error = Optional.of(e.getMessage());
        metrics.poll(false);
      }
      String wanted = desired.configRevisions().get(p.instance());
      Optional<String> applied = report.flatMap(InstanceReport::configRevision);
      if (report.isPresent() && reloadDue(p, applied, wanted, mem, now)) {
        try {
          admin.post(p.ip(), port, "/v1/reload", tokens.get(p.instance()));
          metrics.operation("reload", true);
          if (applied.isEmpty()) {
            // The instance does not report its revision: trust the reload we just asked for.
            applied = Optional.of(wanted);
            mem.revisionSeenValue.put(p.instance(), "reloaded:" + wanted);
          }
        } catch (AdminClient.AdminException e) {
          metrics.operation("reload", false);
          LOG.warn("reload of {} failed: {}", p.name(), e.getMessage());
        }
      } else if (applied.isEmpty() && ("reloaded:" + wanted).equals(mem.revisionSeenValue.get(p.instance()))) {
        applied = Optional.of(wanted);
      }
      out.add(new GatewayObservations.Instance(p.instance(), p.name(), p.ip(), p.serving(), active, report, error, applied));
    }
    return out;
  }

  /**
   * Whether to POST /v1/reload now. With a reported revision: whenever it differs from the desired
   * one (the kubelet may not have synced the volume yet; the next poll asks again). Without: once per
   * new revision, after the kubelet's sync delay. A pod started after the change already read it.
   */
  private boolean reloadDue(PodView p, Optional<String> applied, String wanted, Memory mem, Instant now) {
    if (applied.isPresent()) {
      return !applied.get().equals(wanted);
    }
    String seen = mem.revisionSeenValue.get(p.instance());
    if (seen == null) {
      // First sight of this pod: it read the configuration current at its start.
      mem.revisionSeenValue.put(p.instance(), "reloaded:" + wanted);
      return false;
    }
    if (seen.equals("reloaded:" + wanted)) {
      return false;
    }
    if (!seen.equals("pending:" + wanted)) {
      mem.revisionSeenValue.put(p.instance(), "pending:" + wanted);
      mem.revisionSeen.put(p.instance(), now);
    }
    return !now.isBefore(mem.revisionSeen.get(p.instance()).plus(settings.secretSyncDelay()));
  }

  private void writeStatus(KubernetesClient client, VirtualNetworkGateway gw, DesiredGateway desired,
      Map<Integer, PodView> pods, Map<Integer, String> roles, List<GatewayObservations.Instance> polled, Memory mem,
      Optional<Condition> reset) {
    String ns = gw.getMetadata().getNamespace();
    String name = nameOf(gw);
    Long generation = gw.getMetadata().getGeneration();
    var spec = gw.getSpec();
    Map<Integer, String> lbIps = new TreeMap<>();
    for (int i = 0; i < GatewayDesiredState.INSTANCES; i++) {
      Service s = client.services().inNamespace(ns).withName(Names.service(name, i)).get();
      String ip = s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
          || s.getStatus().getLoadBalancer().getIngress() == null ? null
          : s.getStatus().getLoadBalancer().getIngress().stream().map(in -> in.getIp() != null ? in.getIp() : in.getHostname())
              .filter(x -> x != null && !x.isEmpty()).findFirst().orElse(null);
      if (ip != null) {
        lbIps.put(i, ip);
      }
    }
    var instances = new ArrayList<GatewayInstanceStatus>();
    for (int i = 0; i < GatewayDesiredState.INSTANCES; i++) {
      PodView p = pods.get(i);
      boolean active = Labels.ROLE_ACTIVE.equals(roles.get(i));
      String publicIp = spec.activeActive() ? lbIps.get(i) : active ? lbIps.get(0) : i == 1 ? lbIps.get(1) : null;
      String zone = spec.zones().isEmpty() ? null : spec.zones().get(i % spec.zones().size());
      final int idx = i;
      String bgp = !spec.enableBgp() ? null : spec.effectiveBgpSettings().bgpPeeringAddresses().stream()
          .filter(b -> b.instance() != null && b.instance() == idx).flatMap(b -> b.customBgpIpAddresses().stream())
          .findFirst().orElse(p == null ? null : p.ip());
      GatewayInstanceState state = p == null ? GatewayInstanceState.Pending
          : p.serving() ? GatewayInstanceState.Ready : p.ip() == null ? GatewayInstanceState.Pending
          : GatewayInstanceState.NotReady;
      instances.add(new GatewayInstanceStatus(i, p == null ? Names.pod(name, i) : p.name(), zone, publicIp, bgp, state));
    }

    var conditions = new ArrayList<Condition>();
    List<Finding> own = desired.selection().about(VirtualNetworkGateway.KIND, ns, name);
    long serving = pods.values().stream().filter(PodView::serving).count();
    boolean activeServing = roles.entrySet().stream().anyMatch(e -> Labels.ROLE_ACTIVE.equals(e.getValue())
        && pods.get(e.getKey()) != null && pods.get(e.getKey()).serving());
    boolean allActiveServing = spec.activeActive() ? serving == GatewayDesiredState.INSTANCES : activeServing;
    if (!own.isEmpty()) {
      String reason = own.getFirst().reason();
      String msg = own.stream().map(Finding::message).collect(Collectors.joining("; "));
      conditions.add(Conditions.of(Conditions.READY, false, reason, msg, generation));
      events.warning(gw, reason, msg);
    } else if (allActiveServing) {
      events.clear(gw, "SkuLimitExceeded");
      conditions.add(Conditions.of(Conditions.READY, true, "InstancesReady",
          serving + "/" + GatewayDesiredState.INSTANCES + " instances ready"
              + (spec.activeActive() ? " (active-active)" : " (active-standby, instance "
                  + roles.entrySet().stream().filter(e -> Labels.ROLE_ACTIVE.equals(e.getValue())).map(e -> e.getKey().toString())
                      .findFirst().orElse("?") + " active)"), generation));
    } else {
      conditions.add(Conditions.of(Conditions.READY, false, pods.isEmpty() ? "Provisioning" : "InstancesNotReady",
          serving + "/" + GatewayDesiredState.INSTANCES + " instances ready", generation));
    }
    boolean degraded = serving < GatewayDesiredState.INSTANCES;
    conditions.add(Conditions.of("Degraded", degraded, degraded ? (spec.activeActive() ? "InstanceNotReady" : "StandbyNotReady")
        : "AllInstancesReady", serving + "/" + GatewayDesiredState.INSTANCES + " instances ready", generation));
    var excluded = desired.selection().excluded();
    conditions.add(Conditions.of("ConnectionsValid", excluded.isEmpty(),
        excluded.isEmpty() ? "AllConnectionsValid" : "ConnectionsExcluded",
        desired.selection().included().size() + " connection(s) running"
            + (excluded.isEmpty() ? "" : "; left out (see their Ready condition): "
                + excluded.stream().map(Topology::nameOf).collect(Collectors.joining(", "))), generation));
    boolean applied = !polled.isEmpty() && polled.stream().allMatch(i -> i.appliedRevision()
        .map(r -> r.equals(desired.configRevisions().get(i.index()))).orElse(false));
    conditions.add(Conditions.of("ConfigurationApplied", applied, applied ? "Applied" : "Pending",
        "configuration revision " + String.join("/", desired.configRevisions())
            + (applied ? " runs on every instance" : " not yet confirmed by every instance"), generation));
    if (spec.enableBgp()) {
      var peers = polled.stream().flatMap(i -> i.report().stream()).flatMap(r -> r.bgpPeers().stream()).toList();
      long up = peers.stream().filter(p -> p.state() == BgpPeerState.Established).count();
      long learned = polled.stream().flatMap(i -> i.report().stream()).mapToLong(r -> r.learnedRoutes() == null ? 0 : r.learnedRoutes()).sum();
      conditions.add(Conditions.of("BgpPeersEstablished", !peers.isEmpty() && up == peers.size(),
          peers.isEmpty() ? "NoPeers" : up == peers.size() ? "AllPeersEstablished" : "PeersDown",
          up + "/" + peers.size() + " BGP sessions established, " + learned + " learned routes", generation));
    }
    if (mem.takeover != null) {
      conditions.add(mem.takeover);
    }
    reset.ifPresent(conditions::add);
    List<Condition> previous = gw.getStatus() == null ? List.of() : gw.getStatus().conditions();
    var status = new VirtualNetworkGatewayStatus(generation, Conditions.merge(previous, conditions, clock), instances);
    dev.vpngw.operator.status.StatusWriter.write(client, gw, gw.getStatus(), status);
  }

  @Override
  public DeleteControl cleanup(VirtualNetworkGateway gw, Context<VirtualNetworkGateway> context) {
    KubernetesClient client = context.getClient();
    String ns = gw.getMetadata().getNamespace();
    String name = nameOf(gw);
    // Public endpoints first (releases the addresses), then the pods, then what they mounted.
    List<Class<? extends HasMetadata>> order = List.of(Service.class, StatefulSet.class, DaemonSet.class,
        PodDisruptionBudget.class, io.fabric8.kubernetes.api.model.ConfigMap.class, Secret.class);
    Map<String, String> selector = Map.of(Labels.GATEWAY, name, Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    int remaining = 0;
    for (var type : order) {
      var items = client.resources(type).inNamespace(ns).withLabels(selector).list().getItems();
      for (var item : items) {
        client.resource(item).delete();
      }
      remaining += items.size();
    }
    observations.remove(ns, name);
    memory.remove(ns + "/" + name);
    events.forget(gw);
    if (remaining > 0) {
      // Check once more that everything is gone before releasing the finalizer.
      boolean left = order.stream().anyMatch(t -> !client.resources(t).inNamespace(ns).withLabels(selector).list().getItems().isEmpty());
      if (left) {
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(1000);
      }
    }
    LOG.info("gateway {}/{} removed with all its objects", ns, name);
    return DeleteControl.defaultDelete();
  }
}
