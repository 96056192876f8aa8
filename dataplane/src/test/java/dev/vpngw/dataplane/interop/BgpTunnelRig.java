package dev.vpngw.dataplane.interop;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vpngw.dataplane.testsupport.AdminHttp;
import dev.vpngw.dataplane.testsupport.BirdPeer;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import dev.vpngw.dataplane.testsupport.SwanctlConf;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.testsupport.VpngwProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One vpngw program (gateway "gw", ASN 65010, VNet 198.18.1.0/24, APIPA 169.254.21.1 and
 * 169.254.22.1) and two on-prem sites, each a strongSwan (libipsec) whose BGP speaker (BIRD or a
 * raw test speaker) sits in the site namespace and reaches the gateway only through the tunnel:
 *
 * <pre>
 *                                              ┌─ 192.0.2.21 site A ─ LAN A (.1 site, .10 host A)
 * host 198.18.1.2 ─ gw 192.0.2.10 (vpngw) ─ br ┤
 *                                              └─ 192.0.2.22 site B ─ LAN B (.1 site, .10 host B)
 * </pre>
 *
 * Site A peers from 169.254.21.2, site B from 169.254.22.2 (Azure APIPA: the gateway only
 * listens). The two LANs may be the same prefix (two devices in front of one network, for ECMP).
 */
final class BgpTunnelRig implements AutoCloseable {
  static final String KEY = "bgp-rig-psk-0123456789";
  static final int ADMIN_PORT = 9090;
  static final String VNET = "198.18.1.0/24";

  final TestNetwork net;
  final Path dir;
  final String inet;
  final String host;
  final String gw;
  final Site a;
  final Site b;
  final Path config;
  final Path token;
  final Path stateDir;
  Path log;
  Process vpngw;

  /** One on-prem device: its namespaces, WAN interface, LAN prefix, BGP addresses. */
  record Site(String name, String ns, String lanHost, String wan, String self, String lan, String bgp, String gwBgp, long asn) {
    String lanHostAddress() {
      return lan.substring(0, lan.lastIndexOf('.')) + ".10";
    }

    /** The same device peering from {@code bgp} with the gateway's {@code gwBgp}. */
    Site withBgp(String bgp, String gwBgp) {
      return new Site(name, ns, lanHost, wan, self, lan, bgp, gwBgp, asn);
    }
  }

  private BgpTunnelRig(TestNetwork net, Path dir, String lanA, long asnA, String lanB, long asnB) throws IOException {
    this.net = net;
    this.dir = dir;
    inet = net.namespace("in");
    host = net.namespace("h");
    gw = net.namespace("gw");
    String sa = net.namespace("sa");
    String sb = net.namespace("sb");
    String ha = net.namespace("ha");
    String hb = net.namespace("hb");
    net.exec(inet, "ip", "link", "add", "br0", "type", "bridge");
    net.exec(inet, "ip", "link", "set", "br0", "up");
    String[] wans = new String[3];
    String[][] ends = {{gw, "192.0.2.10/24"}, {sa, "192.0.2.21/24"}, {sb, "192.0.2.22/24"}};
    for (int i = 0; i < ends.length; i++) {
      String[] ifs = net.veth(inet, "198.19.255." + (1 + i) + "/32", ends[i][0], ends[i][1]);
      net.exec(inet, "ip", "addr", "flush", "dev", ifs[0]);
      net.exec(inet, "ip", "link", "set", ifs[0], "master", "br0");
      wans[i] = ifs[1];
    }
    net.veth(host, "198.18.1.2/24", gw, "198.18.1.1/24");
    net.exec(host, "ip", "route", "add", "default", "via", "198.18.1.1");
    a = new Site("a", sa, ha, wans[1], "192.0.2.21", lanA, "169.254.21.2", "169.254.21.1", asnA);
    b = new Site("b", sb, hb, wans[2], "192.0.2.22", lanB, "169.254.22.2", "169.254.22.1", asnB);
    for (Site s : List.of(a, b)) {
      String net24 = s.lan().substring(0, s.lan().lastIndexOf('.'));
      net.veth(s.ns(), net24 + ".1/24", s.lanHost(), net24 + ".10/24");
      net.exec(s.lanHost(), "ip", "route", "add", "default", "via", net24 + ".1");
      net.exec(s.ns(), "sysctl", "-qw", "net.ipv4.ip_forward=1");
    }
    net.exec(gw, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    config = Files.createDirectories(dir.resolve("config"));
    token = dir.resolve("admin.token");
    Files.writeString(token, "rig-admin-token-0123456789\n");
    stateDir = dir.resolve("state");
  }

  /** Two sites; {@code lanA}/{@code lanB} like "198.18.2.0/24". */
  static BgpTunnelRig create(String tag, Path dir, String lanA, long asnA, String lanB, long asnB) throws IOException {
    TestNetwork net = TestNetwork.create(tag);
    try {
      return new BgpTunnelRig(net, dir, lanA, asnA, lanB, asnB);
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
  }

  // ---- manifests and the gateway --------------------------------------------------------------

  /** The gateway's manifests with a Connection (BGP, APIPA) to each site in {@code sites}. */
  String manifests(Site... sites) {
    StringBuilder m = new StringBuilder("""
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {psk: %s}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: VirtualNetworkGateway
        metadata: {name: gw}
        spec:
          sku: VpnGw1AZ
          enableBgp: true
          bgpSettings:
            asn: 65010
            bgpPeeringAddresses:
              - {instance: 0, customBgpIpAddresses: [169.254.21.1, 169.254.22.1]}
          addressSpace: [%s]
          instances: [{publicIpAddress: 192.0.2.10}]
        """.formatted(KEY, VNET));
    for (Site s : sites) {
      m.append("""
          ---
          apiVersion: vpngw.dev/v1alpha1
          kind: LocalNetworkGateway
          metadata: {name: site-%1$s}
          spec:
            gatewayIpAddress: %2$s
            bgpSettings: {asn: %3$d, bgpPeeringAddress: %4$s}
          ---
          apiVersion: vpngw.dev/v1alpha1
          kind: Connection
          metadata: {name: to-%1$s}
          spec:
            connectionType: IPsec
            virtualNetworkGateway1: {name: gw}
            localNetworkGateway2: {name: site-%1$s}
            sharedKey: {secretKeyRef: {name: keys, key: psk}}
            enableBgp: true
            dpdTimeoutSeconds: 9
          """.formatted(s.name(), s.self(), s.asn(), s.bgp()));
      // APIPA sessions use the gateway's custom address; otherwise its default BGP address applies.
      if (s.gwBgp().startsWith("169.254.")) {
        m.append("  gatewayCustomBgpIpAddresses: [{instance: 0, customBgpIpAddress: ").append(s.gwBgp()).append("}]\n");
      }
    }
    return m.toString();
  }

  void writeManifests(Site... sites) throws IOException {
    Files.writeString(config.resolve("gateway.yaml"), manifests(sites));
  }

  /** Starts {@code vpngw run} (admin token, state dir, no file watch: reloads are explicit). */
  Process startGateway() {
    log = dir.resolve("vpngw.log");
    vpngw = VpngwProcess.start(net, gw, log, "run", "-f", config.toString(), "--instance", "0", "--admin-port",
        String.valueOf(ADMIN_PORT), "--admin-token-file", token.toString(), "--state-dir", stateDir.toString(),
        "--reload-interval", "0");
    return vpngw;
  }

  /** SIGKILL: no Cease, no IKE Delete; the TUN and sockets vanish with the process. */
  void crashGateway() throws InterruptedException {
    vpngw.destroyForcibly();
    vpngw.waitFor();
  }

  String gatewayLog() {
    try {
      return log == null || !Files.exists(log) ? "" : Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code vpngw <args>} against the running gateway's admin endpoint (operations with the token). */
  TestNetwork.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!List.of("status", "plan").contains(args[0])) {
      all.addAll(List.of("--admin-token-file", token.toString()));
    }
    return VpngwProcess.run(net, gw, all.toArray(String[]::new));
  }

  JsonNode bgp() throws IOException {
    return AdminHttp.json(gw, ADMIN_PORT, "/bgp");
  }

  JsonNode status() throws IOException {
    return AdminHttp.json(gw, ADMIN_PORT, "/status");
  }

  /** The gateway's session with {@code neighbor} from {@code /bgp} (every counter), or null. */
  JsonNode peer(String neighbor) throws IOException {
    for (JsonNode p : bgp().path("peers")) {
      if (neighbor.equals(p.path("neighbor").asText())) {
        return p;
      }
    }
    return null;
  }

  boolean established(String neighbor) {
    try {
      JsonNode p = peer(neighbor);
      return p != null && "ESTABLISHED".equals(p.path("fsmState").asText());
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  /** The FIB's ECMP set for {@code prefix} as next-hop addresses (empty when not forwarded). */
  List<String> nextHops(String prefix) throws IOException {
    for (JsonNode f : bgp().path("forwarding")) {
      if (prefix.equals(f.path("prefix").asText())) {
        List<String> out = new ArrayList<>();
        f.path("nextHops").forEach(n -> out.add(n.asText()));
        return out;
      }
    }
    return List.of();
  }

  /** A connection's entry in /status. */
  JsonNode connection(String name) throws IOException {
    for (JsonNode c : status().path("connections")) {
      if (name.equals(c.path("name").asText())) {
        return c.path("status");
      }
    }
    throw new AssertionError("no connection " + name + " in /status");
  }

  /** Egress ESP bytes of a connection's tunnel as the gateway counts them. */
  long egressBytes(String connection) throws IOException {
    return connection(connection).path("egressBytesTransferred").asLong();
  }

  // ---- sites --------------------------------------------------------------------------------------

  /**
   * strongSwan on {@code s}: the site's LAN and BGP address to the VNet and the gateway's BGP
   * address; ipsec0 gets a point-to-point address toward the gateway once it exists.
   */
  StrongSwanPeer ipsec(Site s) throws IOException {
    StrongSwanPeer sw = StrongSwanPeer.start(net, s.ns(), s.wan(), dir.resolve(s.name() + "-sw"), Map.of());
    // The other site's LAN too (transit through the gateway), unless both sites front the same LAN.
    String other = (s == a ? b : a).lan();
    String remote = VNET + (other.equals(s.lan()) ? "" : ", " + other) + ", " + s.gwBgp() + "/32";
    sw.load(new SwanctlConf(s.self(), "192.0.2.10", s.lan() + ", " + s.bgp() + "/32", remote,
        "aes256-sha256-modp2048", "aes256gcm16", KEY).render());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        net.tryExec(s.ns(), Duration.ofSeconds(5), "ip", "link", "show", "ipsec0").exitCode() == 0);
    net.exec(s.ns(), "ip", "link", "set", "ipsec0", "up");
    net.exec(s.ns(), "ip", "addr", "add", s.bgp(), "peer", s.gwBgp(), "dev", "ipsec0");
    return sw;
  }

  /**
   * BIRD on {@code s}: announces {@code announce} (default: its LAN), puts learned routes into the
   * site's kernel table, one eBGP session "vpngw" to the gateway. {@code bgpExtra} goes into it.
   */
  BirdPeer bird(Site s, List<String> announce, String bgpExtra, int holdSeconds) {
    return bird(s, announce, bgpExtra, holdSeconds, false);
  }

  /** As above; {@code passive}: BIRD only listens, so the session exists only if the gateway dials. */
  BirdPeer bird(Site s, List<String> announce, String bgpExtra, int holdSeconds, boolean passive) {
    StringBuilder c = new StringBuilder("log \"@LOG@\" all;\nrouter id " + s.bgp() + ";\nprotocol device { scan time 1; }\n");
    c.append("protocol static st4 {\n  ipv4;\n");
    for (String p : announce.isEmpty() ? List.of(s.lan()) : announce) {
      c.append("  route ").append(p).append(" unreachable;\n");
    }
    c.append("}\n");
    c.append("protocol kernel { ipv4 { export where source = RTS_BGP; }; }\n");
    c.append(BirdPeer.bgp("vpngw", s.bgp(), s.asn(), s.gwBgp(), 65010, passive,
        bgpExtra + "  ipv4 { import all; export where proto = \"st4\"; };\n").replace("hold time 6;", "hold time " + holdSeconds + ";"));
    return BirdPeer.start(net, s.ns(), dir.resolve(s.name() + "-bird"), c.toString());
  }

  BirdPeer bird(Site s) {
    return bird(s, List.of(), "", 6);
  }

  /** Fails with the gateway log and BIRD's view when the session does not come up in time. */
  void awaitEstablished(Site s, BirdPeer bird, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      if (!established(s.bgp()) || bird != null && !bird.established("vpngw")) {
        throw new AssertionError("BGP with site " + s.name() + " not Established\n"
            + (bird == null ? "" : bird.protocolDetails("vpngw")) + tail(gatewayLog(), 4000));
      }
    });
  }

  static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }

  @Override
  public void close() {
    net.close();
  }
}
