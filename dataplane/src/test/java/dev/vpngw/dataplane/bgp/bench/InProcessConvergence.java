package dev.vpngw.dataplane.bgp.bench;

import dev.vpngw.dataplane.bgp.AdjRibOut;
import dev.vpngw.dataplane.bgp.BgpPeerConfig;
import dev.vpngw.dataplane.bgp.BgpRib;
import dev.vpngw.dataplane.bgp.BgpSpeakerConfig;
import dev.vpngw.dataplane.bgp.BgpTimers;
import dev.vpngw.dataplane.bgp.attr.AsPath;
import dev.vpngw.dataplane.bgp.attr.AttributeContext;
import dev.vpngw.dataplane.bgp.attr.Origin;
import dev.vpngw.dataplane.bgp.attr.PathAttributes;
import dev.vpngw.dataplane.bgp.io.BgpConnection;
import dev.vpngw.dataplane.bgp.session.BgpSession;
import dev.vpngw.dataplane.bgp.session.SessionState;
import dev.vpngw.dataplane.bgp.wire.AddressFamily;
import dev.vpngw.dataplane.bgp.wire.BgpMessage;
import dev.vpngw.dataplane.bgp.wire.BgpMessageCodec;
import dev.vpngw.dataplane.bgp.wire.Capability;
import dev.vpngw.dataplane.routing.ExecutorControlLoop;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.routing.RoutingTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Our own processing cost without any peer pacing: pre-encoded UPDATEs (packed as BIRD packs
 * them) are handed to a session on the real control loop; timed until the FIB holds all N.
 * Covers decode, import policy, best path, selection listeners and FIB snapshot publication.
 */
final class InProcessConvergence {
  private InProcessConvergence() {}

  static List<Double> run(int n, int rounds) throws Exception {
    BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", 65010, 1).withMaxPrefixes(n + 1);
    BgpSpeakerConfig cfg = BgpSpeakerConfig.of(65515, "198.18.255.254", List.of(), List.of(peer)).withTimers(BgpTimers.DEFAULTS.withHold(0));
    AttributeContext ctx = new AttributeContext(true, true);
    List<byte[]> announce = new ArrayList<>();
    List<byte[]> withdraw = new ArrayList<>();
    AdjRibOut packer = new AdjRibOut();
    PathAttributes attrs = new PathAttributes(Origin.IGP, AsPath.sequence(65010), Ipv4Prefix.parseAddress("169.254.21.2"), null, null,
        List.of(), null, null, null, List.of());
    int base = Ipv4Prefix.parseAddress("198.18.0.0");
    for (int i = 0; i < n; i++) {
      packer.want(new Ipv4Prefix(base + i * 8, 29), attrs);
    }
    packer.drain(ctx).forEach(u -> announce.add(BgpMessageCodec.encode(u, ctx)));
    for (int i = 0; i < n; i++) {
      packer.want(new Ipv4Prefix(base + i * 8, 29), null);
    }
    packer.drain(ctx).forEach(u -> withdraw.add(BgpMessageCodec.encode(u, ctx)));

    List<Double> out = new ArrayList<>();
    try (ExecutorControlLoop loop = new ExecutorControlLoop("bench-loop")) {
      RoutingTable table = new RoutingTable(loop, 5);
      BgpRib rib = new BgpRib(cfg, table, loop);
      BgpSession session = new BgpSession(cfg, peer, loop, rib, (l, r, p, ok, fail) -> fail.accept("bench does not dial"));
      rib.register(session);
      BgpConnection.Handler[] handler = new BgpConnection.Handler[1];
      BgpConnection conn = new BgpConnection() {
        public void start(Handler h) {
          handler[0] = h;
        }

        public void send(byte[] message) {}

        public void close() {}

        public int localAddress() {
          return peer.localAddress();
        }

        public int remoteAddress() {
          return peer.peerAddress();
        }

        public boolean outgoing() {
          return false;
        }
      };
      session.start();
      loop.execute(() -> session.accept(conn));
      loop.call(() -> null);
      BgpMessage.Open open = new BgpMessage.Open(4, 65010, 0, Ipv4Prefix.parseAddress("198.18.255.1"),
          List.of(new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65010)));
      handler[0].onFrame(conn, BgpMessageCodec.encode(open, ctx));
      handler[0].onFrame(conn, BgpMessageCodec.encode(new BgpMessage.Keepalive(), ctx));
      if (loop.call(session::state) != SessionState.ESTABLISHED) {
        throw new IllegalStateException("bench session not established");
      }
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        announce.forEach(f -> handler[0].onFrame(conn, f));
        while (table.fib().size() < n) {
          Thread.onSpinWait();
        }
        out.add((System.nanoTime() - t0) / 1e6);
        withdraw.forEach(f -> handler[0].onFrame(conn, f));
        while (table.fib().size() > 0) {
          Thread.sleep(1);
        }
      }
    }
    return out;
  }
}
