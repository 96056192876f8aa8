package dev.vpngw.dataplane.loadgen;

import dev.vpngw.dataplane.config.ConnectionPlan;
import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.IkeId;
import dev.vpngw.dataplane.config.PeerEndpoint;
import dev.vpngw.dataplane.config.TunnelPlan;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark-only plan with thousands of site-to-site connections. Azure caps a gateway at 100
 * (VpnGw4/5), so the topology validator refuses such manifests with SkuLimitExceeded, and pairwise
 * manifest validation is not built for 10,000 sites. Instead one template connection is planned
 * from real manifests (validated, as {@code vpngw run} would) and copied {@code peers} times, each
 * copy exactly what its own LocalNetworkGateway would have produced: its own name, device address
 * ({@code firstPeer + i}, also its IKE identity) and one /32 address space ({@code firstInner + i}).
 */
public final class ScaledPlan {
  private ScaledPlan() {}

  public static GatewayPlan of(GatewayPlan template, int peers, InetAddress firstPeer, InetAddress firstInner) {
    if (template.connections().size() != 1 || template.connections().getFirst().tunnels().size() != 1) {
      throw new IllegalArgumentException("the template must hold exactly one connection with one tunnel, has "
          + template.connections().size());
    }
    ConnectionPlan c = template.connections().getFirst();
    TunnelPlan t = c.tunnels().getFirst();
    String suffix = t.name().substring(t.name().indexOf('/'));
    List<ConnectionPlan> out = new ArrayList<>(peers);
    for (int i = 0; i < peers; i++) {
      String name = "site-" + i;
      String peer = LoadGenerator.offset(firstPeer, i).getHostAddress();
      String inner = LoadGenerator.offset(firstInner, i).getHostAddress() + "/32";
      TunnelPlan ti = new TunnelPlan(name + suffix, t.remoteInstance(), new PeerEndpoint.Address(peer), t.localIdentity(),
          IkeId.ipv4(peer), List.of(inner), null);
      out.add(new ConnectionPlan(name, c.connectionType(), "LocalNetworkGateway/" + name, c.connectionProtocol(), c.psk(),
          c.proposals(), c.lifetimes(), c.dpdTimeoutSeconds(), c.connectionMode(), c.trafficSelectors(), List.of(inner),
          false, List.of(ti), c.warnings()));
    }
    return new GatewayPlan(template.gateway(), out, List.of());
  }
}
