package dev.vpngw.dataplane.gateway;

import dev.vpngw.dataplane.bgp.BgpPeerConfig;
import dev.vpngw.dataplane.bgp.BgpSpeaker;
import dev.vpngw.dataplane.bgp.BgpSpeakerConfig;
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
  private BgpSpeaker bgp;
  private ScheduledExecutorService supervisor;
  private volatile boolean started;
  private volatile EngineMetrics metrics;
  private final InstanceRole role = InstanceRole.fromEnvironment();
  private volatile boolean standby;
  private io.micrometer.core.instrument.MeterRegistry registry;

  /** One tunnel of the plan, as the engines track it. */
  record Tunnel(ConnectionPlan connection, TunnelPlan plan, int slot, List<Ipv4Prefix> staticRoutes,
      ConnectionMode mode, long[] nextDialNanos, boolean[] routed, long[] dialedAtNanos, long[] keepaliveAtNanos) {}

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
    if (registry != null) {
      metrics = new EngineMetrics(registry, gw.name(), engine, udp, daemon);
    }
    this.plan = plan;
    for (ConnectionPlan c : plan.connections()) {
      addConnection(gw, c);
    }
    startBgp(gw, plan);
    supervisor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("supervisor").factory());
    supervisor.scheduleWithFixedDelay(this::supervise, 0, 250, TimeUnit.MILLISECONDS);
    started = true;
    LOG.info("gateway {} instance {} serving on {} (TUN {}, {} tunnels)", gw.name(), gw.instance(), bind, tunName,
        tunnels.size());
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
        tunnels.put(t.name(), new Tunnel(c, t, slot, statics, ic.mode(), new long[] {0}, new boolean[] {false}, new long[] {0}, new long[] {0}));
        daemon.addConnection(ic);
        if (metrics != null) {
          metrics.addTunnel(t.name(), daemon, engine);
        }
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

  private void startBgp(LocalGatewayPlan gw, GatewayPlan plan) throws IOException {
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
    if (!gw.enableBgp() || peers.isEmpty()) {
      return;
    }
    String routerId = bgpAddresses(gw).isEmpty() ? gw.bindAddress() : bgpAddresses(gw).getFirst();
    List<Ipv4Prefix> own = gw.addressSpace().stream().map(Ipv4Prefix::parse).toList();
    bgp = new BgpSpeaker(BgpSpeakerConfig.of(gw.asn(), routerId, own, peers), table, loop, SocketFactory.DEFAULT);
    bgp.start();
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

  private void supervise() {
    try {
      long now = System.nanoTime();
      GatewayPlan p = plan;
      boolean wasStandby = standby;
      standby = p != null && !role.active(p.gateway());
      if (wasStandby && !standby) {
        LOG.info("instance {} is now active (takeover): dialling its tunnels", p.gateway().instance());
      }
      for (Tunnel t : tunnels.values()) {
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
        if (up && now - t.keepaliveAtNanos()[0] >= KEEPALIVE_NANOS) {
          t.keepaliveAtNanos()[0] = now;
          InetSocketAddress remote = endpoint(s.remote());
          if (remote != null && remote.getPort() == udp.localAddress().getPort()) {
            udp.sendKeepalive(remote);
          }
        }
        if (up != t.routed()[0]) {
          t.routed()[0] = up;
          List<Ipv4Prefix> routes = up ? t.staticRoutes() : List.of();
          int slot = t.slot();
          onLoop(() -> table.setStatic(slot, routes));
          LOG.info("tunnel {} {}: {} static routes {}", t.plan().name(), up ? "up" : "down", routes.size(),
              up ? "installed" : "withdrawn");
        }
        boolean busy = s != null && (s.state() == IkeSaState.CONNECTING || s.state() == IkeSaState.ESTABLISHED
            || s.state() == IkeSaState.REKEYING || s.state() == IkeSaState.CREATED);
        if (!busy && !standby && t.mode() != ConnectionMode.RESPONDER_ONLY && now >= t.nextDialNanos()[0]) {
          // Back off between attempts so a dead or misconfigured peer is not hammered.
          t.nextDialNanos()[0] = now + TimeUnit.SECONDS.toNanos(s == null ? 2 : 5);
          t.dialedAtNanos()[0] = now;
          daemon.initiate(t.plan().name());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("supervisor tick failed", e);
    }
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
    if (!diff.gatewayChanges().isEmpty()) {
      LOG.warn("gateway settings changed ({}); they take effect when the instance restarts", diff.gatewayChanges());
    }
    this.plan = newPlan;
  }

  @Override
  public synchronized void stop() {
    started = false;
    closeQuietly(supervisor == null ? null : (AutoCloseable) supervisor::shutdownNow);
    closeQuietly(bgp);
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
    }
    return "reset " + connection + ": " + ts.size() + " tunnel(s) re-negotiating";
  }

  @Override
  public String resetGateway() {
    tunnels.values().forEach(t -> {
      daemon.terminate(t.plan().name());
      t.nextDialNanos()[0] = 0;
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
