package dev.vpngw.dataplane.gateway;

import dev.vpngw.dataplane.bgp.BgpPeerConfig;
import dev.vpngw.dataplane.bgp.BgpSpeaker;
import dev.vpngw.dataplane.bgp.BgpSpeakerConfig;
import dev.vpngw.dataplane.bgp.GracefulRestartMarker;
import dev.vpngw.dataplane.bgp.PeerMode;
import dev.vpngw.dataplane.bgp.io.SocketFactory;
import dev.vpngw.dataplane.config.ConnectionPlan;
import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.LocalGatewayPlan;
import dev.vpngw.dataplane.config.PlanDiff;
import dev.vpngw.dataplane.config.TunnelPlan;
import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.esp.TunnelSlots;
import dev.vpngw.dataplane.ike.ConnectionMode;
import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.IkeDaemon;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.ike.IkeTimers;
import dev.vpngw.dataplane.ike.IkeWarmup;
import dev.vpngw.dataplane.net.EspUdpSocket;
import dev.vpngw.dataplane.net.GatewayIkeTransport;
import dev.vpngw.dataplane.packet.EspDataPath;
import dev.vpngw.dataplane.packet.TcpMssClamp;
import dev.vpngw.dataplane.routing.ExecutorControlLoop;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.routing.RoutingTable;
import dev.vpngw.dataplane.status.TunnelStateSource;
import dev.vpngw.dataplane.tun.TunDevice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real engines of one gateway instance: our IKEv2 daemon negotiating with the peers, the ESP
 * engine and packet path on a TUN device and the shared UDP 4500 socket, the routing table (static
 * routes of the sites, BGP routes) feeding the packet path and the kernel, and the BGP speaker.
 *
 * <p>A supervisor tick (every second) keeps the tunnels dialled as the connection mode asks and
 * keeps each site's static routes present only while its tunnel carries traffic, so an
 * active-active pair's flows move to the surviving tunnel when one goes down.
 */
public final class DataPlaneEngines implements GatewayEngines {
  public static final String NAME = "ike+esp+bgp";
  private static final Logger LOG = LoggerFactory.getLogger(DataPlaneEngines.class);
  private static final int QUEUES = 2;

  private final RunOptions options;
  private final IkeTimers ikeTimers;
  private final Map<String, Tunnel> tunnels = new ConcurrentHashMap<>();
  private volatile GatewayPlan plan;
  private TunDevice tun;
  private EspUdpSocket udp;
  private GatewayIkeTransport ike;
  private EspEngine engine;
  private TunnelSlots slots;
  private EspDataPath path;
  private IkeDaemon daemon;
  private ExecutorControlLoop loop;
  private RoutingTable table;
  private TunKernelRoutes kernelRoutes;
  private volatile BgpSpeaker bgp;
  private GracefulRestartMarker restartMarker;
  private long restartBeatNanos;
  private ScheduledExecutorService supervisor;
  private volatile boolean started;
  private volatile EngineMetrics metrics;
  private final InstanceRole role = InstanceRole.fromEnvironment();
  private volatile boolean standby;
  private io.micrometer.core.instrument.MeterRegistry registry;

  /** One tunnel of the plan, as the engines track it. */
  record Tunnel(ConnectionPlan connection, TunnelPlan plan, int slot, List<Ipv4Prefix> staticRoutes,
      ConnectionMode mode, long[] nextDialNanos, boolean[] routed, long[] dialedAtNanos, long[] keepaliveAtNanos,
      long[] dueAtNanos) {}

  /** A tunnel the supervisor's tick must look at by {@code atNanos} (System.nanoTime). */
  private record Due(long atNanos, Tunnel tunnel) {}

  /**
   * What the tick has to do, soonest first: a dial back-off or NAT-T keepalive coming due. The tick
   * only takes what is due, so an idle gateway does work per event, not per tunnel per tick; status
   * changes reach a tunnel through {@link #kick}. Supervisor thread only.
   */
  private final java.util.PriorityQueue<Due> due = new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(Due::atNanos));
  /** The next tick looks at every tunnel (start, and a standby instance taking over). */
  private boolean scanAll = true;

  /**
   * NAT-T keepalive period (RFC 3948 §2.3). ESP always runs in UDP 4500 and a gateway pod sits behind
   * its load balancer's NAT, so keepalives keep the mapping open on idle tunnels; 20 s as strongSwan.
   */
  static final long KEEPALIVE_NANOS = java.time.Duration.parse(
      "PT" + System.getenv().getOrDefault("VPNGW_NATT_KEEPALIVE", "20s").toUpperCase(java.util.Locale.ROOT)).toNanos();

  public DataPlaneEngines(RunOptions options) {
    this(options, IkeTimers.defaults());
  }

  public DataPlaneEngines(RunOptions options, IkeTimers ikeTimers) {
    this.options = options;
    this.ikeTimers = ikeTimers;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    this.registry = registry; // meters are created in start(), once the engines exist
  }

  @Override
  public synchronized void start(GatewayPlan plan) throws Exception {
    LocalGatewayPlan gw = plan.gateway();
    String bind = gw.bindAddress();
    if (bind == null) {
      throw new IllegalStateException("VirtualNetworkGateway " + gw.name() + ": no address to bind: set"
          + " spec.instances[" + gw.instance() + "].publicIpAddress or run with --local-address");
    }
    String tunName = options.tun();
    tun = TunDevice.open(tunName, QUEUES);
    Shell.ip("link", "set", tunName, "mtu", String.valueOf(TunDevice.DEFAULT_MTU), "up");
    for (String a : bgpAddresses(gw)) {
      Shell.ip("addr", "replace", a + "/32", "dev", tunName);
    }
    udp = EspUdpSocket.open(new InetSocketAddress(bind, 4500), QUEUES);
    ike = GatewayIkeTransport.bind(new InetSocketAddress(bind, 500), udp);
    slots = new TunnelSlots();
    engine = new EspEngine(slots, 2 * QUEUES);
    loop = new ExecutorControlLoop("routing");
    table = new RoutingTable(loop, 20);
    kernelRoutes = new TunKernelRoutes(tunName);
    table.addKernelListener(kernelRoutes);
    List<Ipv4Prefix> own = gw.addressSpace().stream().map(Ipv4Prefix::parse).toList();
    onLoop(() -> table.setNetwork(own));
    path = new EspDataPath(tun, udp, engine, table.fib(), new TcpMssClamp(TcpMssClamp.DEFAULT_MSS));
    path.start();
    daemon = new IkeDaemon(ike, engine, IkeDaemon.Options.defaults());
    // React to a tunnel going up or down at once (routes, re-dial), not at the next tick.
    daemon.setStatusListener(s -> kick(s.connection()));
    if (registry != null) {
      metrics = new EngineMetrics(registry, gw.name(), engine, udp, daemon);
    }
    this.plan = plan;
    for (ConnectionPlan c : plan.connections()) {
      addConnection(gw, c);
    }
    startBgp(gw);
    // In the background: readiness must not wait for an optimisation, and a real peer that comes
    // first is simply served (the warm-up uses its own daemons and wire).
    List<IkeConnection> warmup = warmupTemplates();
    Thread.ofPlatform().daemon().name("ike-warmup").start(() -> IkeWarmup.run(warmup, java.time.Duration.ofSeconds(10)));
    due.clear();
    scanAll = true;
    supervisor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("supervisor").factory());
    supervisor.scheduleWithFixedDelay(this::supervise, 0, 250, TimeUnit.MILLISECONDS);
    started = true;
    LOG.info("gateway {} instance {} serving on {} (TUN {}, {} tunnels)", gw.name(), gw.instance(), bind, tunName,
        tunnels.size());
  }

  /**
   * One connection per distinct IKE/child policy of the plan (at most three), plus Azure's default
   * policy and AES-256-GCM with ECP-256, so a connection added later by a reload finds warm code too.
   */
  private List<IkeConnection> warmupTemplates() {
    java.net.InetAddress lo = java.net.InetAddress.getLoopbackAddress();
    IkeConnection azure = IkeConnection.routeBased("warm-up", lo, lo, new byte[] {1});
    var gcm = new dev.vpngw.dataplane.ike.proposal.AzureIpsecPolicy(27_000, 102_400_000, "GCMAES256", "GCMAES256",
        "GCMAES256", "SHA256", "ECP256", "None");
    List<IkeConnection> out = new ArrayList<>(List.of(azure, azure.withPolicies(gcm.toIkePolicy(), gcm.toChildPolicy())));
    var seen = new java.util.HashSet<List<Object>>();
    out.forEach(c -> seen.add(List.of(c.ikePolicy(), c.childPolicy())));
    for (Tunnel t : tunnels.values()) {
      IkeConnection c = daemon.connection(t.plan().name()).orElse(null);
      if (c != null && out.size() < 5 && seen.add(List.of(c.ikePolicy(), c.childPolicy()))) {
        out.add(c);
      }
    }
    return out;
  }

  /** "/198.18.0.2:4500" (InetSocketAddress.toString) → the address, or null. */
  static InetSocketAddress endpoint(String text) {
    if (text == null) {
      return null;
    }
    String t = text.substring(text.indexOf('/') + 1);
    int colon = t.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    try {
      return new InetSocketAddress(java.net.InetAddress.getByName(t.substring(0, colon)),
          Integer.parseInt(t.substring(colon + 1)));
    } catch (java.net.UnknownHostException | NumberFormatException e) {
      return null;
    }
  }

  private static List<String> bgpAddresses(LocalGatewayPlan gw) {
    // Custom (APIPA) addresses first: the first one is the router id, and it differs per instance.
    List<String> a = new ArrayList<>(gw.customBgpAddresses());
    if (gw.enableBgp() && gw.bgpAddress() != null && !a.contains(gw.bgpAddress())) {
      a.add(gw.bgpAddress());
    }
    return a;
  }

  private void addConnection(LocalGatewayPlan gw, ConnectionPlan c) {
    for (TunnelPlan t : c.tunnels()) {
      try {
        IkeConnection ic = TunnelIkeConfig.of(gw, c, t, ikeTimers);
        int slot = slots.slotOf(t.name());
        List<Ipv4Prefix> statics = t.staticRoutes().stream().map(Ipv4Prefix::parse).toList();
        tunnels.put(t.name(), new Tunnel(c, t, slot, statics, ic.mode(), new long[] {0}, new boolean[] {false}, new long[] {0}, new long[] {0}, new long[] {Long.MAX_VALUE}));
        daemon.addConnection(ic);
        if (metrics != null) {
          metrics.addTunnel(t.name(), daemon, engine);
        }
        kick(t.name()); // a connection added by a reload dials now
        LOG.info("tunnel {} to {}: {} ({}), mode {}", t.name(), t.peer().display(), c.proposals().summary(),
            c.trafficSelectors().mode(), c.connectionMode());
      } catch (IOException | RuntimeException e) {
        LOG.warn("tunnel {}: cannot configure: {}", t.name(), e.toString());
      }
    }
  }

  private void removeConnection(String connection) {
    for (Tunnel t : List.copyOf(tunnels.values())) {
      if (t.connection().name().equals(connection)) {
        tunnels.remove(t.plan().name());
        daemon.removeConnection(t.plan().name());
        if (metrics != null) {
          metrics.removeTunnel(t.plan().name());
        }
        int slot = t.slot();
        onLoop(() -> table.setStatic(slot, List.of()));
        engine.deleteTunnel(t.plan().name());
      }
    }
  }

  /** One BGP neighbour per tunnel of a connection with enableBgp. */
  private List<BgpPeerConfig> bgpPeers() {
    List<BgpPeerConfig> peers = new ArrayList<>();
    for (Tunnel t : tunnels.values()) {
      var n = t.plan().bgpNeighbor();
      if (n == null || !t.connection().enableBgp()) {
        continue;
      }
      BgpPeerConfig p = BgpPeerConfig.of(n.localAddress(), n.peerAddress(), n.peerAsn(), t.slot());
      p = p.withMode(n.passive() ? PeerMode.PASSIVE : PeerMode.ACTIVE);
      peers.add(new BgpPeerConfig(p.localAddress(), p.peerAddress(), p.peerAsn(), p.mode(), p.tunnelSlot(),
          n.peerWeight(), p.maxPrefixes()));
    }
    return peers;
  }

  private void startBgp(LocalGatewayPlan gw) throws IOException {
    List<BgpPeerConfig> peers = bgpPeers();
    if (!gw.enableBgp() || peers.isEmpty()) {
      return;
    }
    String routerId = bgpAddresses(gw).isEmpty() ? gw.bindAddress() : bgpAddresses(gw).getFirst();
    List<Ipv4Prefix> own = gw.addressSpace().stream().map(Ipv4Prefix::parse).toList();
    BgpSpeakerConfig config = BgpSpeakerConfig.of(gw.asn(), routerId, own, peers);
    BgpSpeaker speaker = new BgpSpeaker(config, table, loop, SocketFactory.DEFAULT);
    if (options.stateDir().isPresent()) {
      restartMarker = GracefulRestartMarker.open(options.stateDir().get(),
          gw.namespace() + "." + gw.name() + "." + gw.instance(), config.timers().gracefulRestart(), java.time.Instant.now());
      restartBeatNanos = System.nanoTime();
      if (restartMarker.restarting()) {
        LOG.info("BGP: restarting within {} s of the previous process (last alive {} ms ago): announcing Restart State",
            config.timers().gracefulRestart(), restartMarker.sincePrevious().toMillis());
      }
      speaker.restarting(restartMarker.restarting());
    }
    speaker.start();
    bgp = speaker;
    if (metrics != null) {
      metrics.bindBgp(bgp, peers.stream().map(p -> Ipv4Prefix.format(p.peerAddress())).toList());
    }
  }

  /** Runs on the routing control loop (the table is single-threaded) and commits. */
  private void onLoop(Runnable change) {
    loop.execute(() -> {
      change.run();
      table.commit();
    });
  }

  /** Has the supervisor look at one tunnel now; nothing once the engines are stopping. */
  private void kick(String tunnel) {
    ScheduledExecutorService sup = supervisor;
    if (sup == null || !started || sup.isShutdown()) {
      return;
    }
    try {
      sup.execute(() -> superviseOne(tunnel));
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // stop() shut the supervisor down between the check and here: the SAs are going away anyway
    }
  }

  /** One tunnel, on the supervisor thread, after its IKE status changed or it was added. */
  private void superviseOne(String tunnel) {
    Tunnel t = tunnels.get(tunnel);
    if (t == null) {
      return;
    }
    try {
      supervise(t, System.nanoTime());
    } catch (RuntimeException e) {
      LOG.warn("supervising {} failed", tunnel, e);
    }
  }

  private void supervise() {
    try {
      long now = System.nanoTime();
      GatewayPlan p = plan;
      boolean wasStandby = standby;
      standby = p != null && !role.active(p.gateway());
      if (wasStandby && !standby) {
        LOG.info("instance {} is now active (takeover): dialling its tunnels", p.gateway().instance());
        scanAll = true;
      }
      if (scanAll) {
        scanAll = false;
        for (Tunnel t : tunnels.values()) {
          supervise(t, now);
        }
      }
      for (Due d = due.peek(); d != null && d.atNanos() - now <= 0; d = due.peek()) {
        due.poll();
        Tunnel t = d.tunnel();
        if (t.dueAtNanos()[0] != d.atNanos() || tunnels.get(t.plan().name()) != t) {
          continue; // superseded by an earlier entry, or the tunnel is gone
        }
        t.dueAtNanos()[0] = Long.MAX_VALUE;
        supervise(t, now);
      }
      GracefulRestartMarker marker = restartMarker;
      if (marker != null && now - restartBeatNanos >= TimeUnit.SECONDS.toNanos(1)) {
        restartBeatNanos = now;
        marker.beat(java.time.Instant.now());
      }
    } catch (RuntimeException e) {
      LOG.warn("supervisor tick failed", e);
    }
  }

  /** Looks at one tunnel and books the tick's next look at it, if it needs one before a status change. */
  private void supervise(Tunnel t, long now) {
    long next = superviseNow(t, now);
    if (next != Long.MAX_VALUE && next - t.dueAtNanos()[0] < 0) {
      t.dueAtNanos()[0] = next;
      due.add(new Due(next, t));
    }
  }

  /** Returns when the tunnel next needs the tick (Long.MAX_VALUE: only when its status changes). */
  private long superviseNow(Tunnel t, long now) {
    IkeSaStatus s = daemon.status(t.plan().name()).orElse(null);
    boolean up = s != null && s.state() == IkeSaState.ESTABLISHED && !s.children().isEmpty()
        || s != null && s.state() == IkeSaState.REKEYING;
    if (metrics != null) {
      metrics.observe(t.plan().name(), s);
    }
    if (up && !t.routed()[0] && t.dialedAtNanos()[0] != 0 && s.initiator() && metrics != null) {
      metrics.handshakeCompleted(java.time.Duration.ofNanos(now - t.dialedAtNanos()[0]));
      t.dialedAtNanos()[0] = 0;
    }
    long next = Long.MAX_VALUE;
    if (up) {
      next = keepalive(t, s, now);
    }
    if (up != t.routed()[0]) {
      boolean wasRouted = t.routed()[0];
      t.routed()[0] = up;
      BgpSpeaker speaker = bgp;
      if (wasRouted && speaker != null) {
        speaker.tunnelDown(t.slot(), t.plan().name());
      }
      List<Ipv4Prefix> routes = up ? t.staticRoutes() : List.of();
      int slot = t.slot();
      onLoop(() -> table.setStatic(slot, routes));
      LOG.info("tunnel {} {}: {} static routes {}", t.plan().name(), up ? "up" : "down", routes.size(),
          up ? "installed" : "withdrawn");
    }
    boolean busy = s != null && (s.state() == IkeSaState.CONNECTING || s.state() == IkeSaState.ESTABLISHED
        || s.state() == IkeSaState.REKEYING || s.state() == IkeSaState.CREATED);
    if (!busy && !standby && t.mode() != ConnectionMode.RESPONDER_ONLY) {
      if (now - t.nextDialNanos()[0] >= 0) {
        // Back off between attempts so a dead or misconfigured peer is not hammered.
        t.nextDialNanos()[0] = now + TimeUnit.SECONDS.toNanos(s == null ? 2 : 5);
        t.dialedAtNanos()[0] = now;
        daemon.initiate(t.plan().name());
      } else {
        next = Math.min(next, t.nextDialNanos()[0]);
      }
    }
    return next;
  }

  /**
   * NAT-T keepalive (RFC 3948 §2.3) when nothing else went to the peer for the keepalive period: an
   * IKE message we sent (DPD requests and answers) or ESP on the tunnel's outbound SA refresh the
   * NAT mapping just as well (RFC 3948 §4). Returns when to look again.
   */
  private long keepalive(Tunnel t, IkeSaStatus s, long now) {
    long last = Math.max(t.keepaliveAtNanos()[0], daemon.lastSentNanos(t.plan().name()));
    for (var c : s.children()) {
      var stats = engine.query(dev.vpngw.dataplane.esp.EspSaParams.Direction.OUTBOUND, c.outboundSpi()).orElse(null);
      if (stats != null && stats.packets() > 0) {
        last = Math.max(last, stats.lastUsedNanos());
      }
    }
    if (t.keepaliveAtNanos()[0] == 0 || now - last >= KEEPALIVE_NANOS) {
      t.keepaliveAtNanos()[0] = now;
      InetSocketAddress remote = endpoint(s.remote());
      if (remote != null && remote.getPort() == udp.localAddress().getPort()) {
        udp.sendKeepalive(remote);
      }
      return now + KEEPALIVE_NANOS;
    }
    return last + KEEPALIVE_NANOS;
  }

  @Override
  public synchronized void apply(GatewayPlan newPlan, PlanDiff diff) {
    LocalGatewayPlan gw = newPlan.gateway();
    diff.removed().forEach(this::removeConnection);
    for (ConnectionPlan c : diff.changed()) {
      removeConnection(c.name());
      addConnection(gw, c);
    }
    diff.added().forEach(c -> addConnection(gw, c));
    reconcileBgp(gw);
    if (!diff.gatewayChanges().isEmpty()) {
      LOG.warn("gateway settings changed ({}); they take effect when the instance restarts", diff.gatewayChanges());
    }
    this.plan = newPlan;
  }

  /** BGP neighbours follow the connections: new sessions start, untouched ones keep running. */
  private void reconcileBgp(LocalGatewayPlan gw) {
    try {
      if (bgp == null) {
        startBgp(gw); // the first BGP connection arrived with this reload
        return;
      }
      List<BgpPeerConfig> peers = bgpPeers();
      List<String> before = bgp.peers().stream().map(BgpPeerConfig::sourceId).toList();
      LOG.info("{}", bgp.reconcilePeers(peers));
      if (metrics != null) {
        metrics.bindBgp(bgp, peers.stream().map(BgpPeerConfig::sourceId).filter(p -> !before.contains(p)).toList());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("BGP: cannot apply the new neighbours: {}", e.toString());
    }
  }

  @Override
  public String bgpRefresh(String peer, boolean in, boolean out) {
    BgpSpeaker speaker = bgp;
    if (speaker == null) {
      throw new IllegalArgumentException("BGP is not running on this instance");
    }
    return speaker.refresh(peer, in, out);
  }

  @Override
  public Object bgpDetail() {
    BgpSpeaker speaker = bgp;
    if (speaker == null) {
      return new BgpDetail(false, List.of(), List.of(), List.of());
    }
    List<BgpDetail.Forwarding> fib = speaker.forwarding().stream().map(f -> new BgpDetail.Forwarding(f.prefix(), f.origin(),
        f.nextHops(), f.tunnelSlots().stream().map(s -> slots.tunnelOf(s).orElse("slot " + s)).toList())).toList();
    return new BgpDetail(speaker.startedAsRestart(), speaker.peerStatus(), speaker.learnedRoutes(), fib);
  }

  /**
   * The admin endpoint's {@code /bgp}: sessions with every counter, learned routes, and the FIB's ECMP sets.
   * {@code restarted}: this process followed one that died within the graceful-restart time.
   */
  record BgpDetail(boolean restarted, List<dev.vpngw.dataplane.bgp.status.BgpPeerStatus> peers,
      List<dev.vpngw.dataplane.bgp.status.GatewayRoute> learnedRoutes, List<Forwarding> forwarding) {
    record Forwarding(String prefix, String origin, List<String> nextHops, List<String> tunnels) {}
  }

  @Override
  public synchronized void stop() {
    started = false;
    closeQuietly(supervisor == null ? null : (AutoCloseable) supervisor::shutdownNow);
    closeQuietly(bgp);
    if (restartMarker != null) {
      restartMarker.clear(); // peers got a Cease: the next start is a fresh one
    }
    closeQuietly(daemon);
    closeQuietly(path);
    closeQuietly(ike);
    closeQuietly(engine);
    closeQuietly(loop);
    if (kernelRoutes != null) {
      kernelRoutes.close();
    }
    closeQuietly(tun);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("close {}", c, e);
    }
  }

  @Override
  public TunnelStateSource state() {
    return new EngineStateSource(plan, daemon, engine, bgp, standby);
  }

  @Override
  public boolean ready() {
    return started;
  }

  @Override
  public String resetConnection(String connection) {
    List<Tunnel> ts = tunnels.values().stream().filter(t -> t.connection().name().equals(connection)).toList();
    if (ts.isEmpty()) {
      throw new IllegalArgumentException("no connection named " + connection + " on this instance");
    }
    for (Tunnel t : ts) {
      daemon.terminate(t.plan().name());
      t.nextDialNanos()[0] = 0;
      kick(t.plan().name());
    }
    return "reset " + connection + ": " + ts.size() + " tunnel(s) re-negotiating";
  }

  @Override
  public String resetGateway() {
    tunnels.values().forEach(t -> {
      daemon.terminate(t.plan().name());
      t.nextDialNanos()[0] = 0;
      kick(t.plan().name());
    });
    return "reset: " + tunnels.size() + " tunnel(s) re-negotiating";
  }

  @Override
  public String rekey(String connection, boolean ikeToo) {
    List<Tunnel> ts = tunnels.values().stream().filter(t -> t.connection().name().equals(connection)).toList();
    if (ts.isEmpty()) {
      throw new IllegalArgumentException("no connection named " + connection + " on this instance");
    }
    for (Tunnel t : ts) {
      if (ikeToo) {
        // The IKE SA alone, like swanctl --rekey --ike: its child SAs move to the new IKE SA as they are.
        daemon.rekeyIke(t.plan().name());
      } else {
        daemon.status(t.plan().name()).ifPresent(s -> s.children()
            .forEach(c -> daemon.rekeyChild(t.plan().name(), c.inboundSpi())));
      }
    }
    return "rekey " + connection + (ikeToo ? " (IKE SA)" : " (child SAs)") + " started";
  }
}
