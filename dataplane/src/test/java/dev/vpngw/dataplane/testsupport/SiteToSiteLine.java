package dev.vpngw.dataplane.testsupport;

/**
 * The four hosts most interop tests need, in a line:
 *
 * <pre>
 * hostL 198.18.1.2 ─ 198.18.1.1 gw 198.18.0.1 ══ wire ══ 198.18.0.2 peer 198.18.2.1 ─ 198.18.2.2 hostR
 * </pre>
 *
 * gw is where vpngw runs, peer where strongSwan (or a second vpngw) runs; both forward.
 */
public record SiteToSiteLine(String hostL, String gw, String peer, String hostR, String gwWire, String peerWire) {

  public static SiteToSiteLine build(TestNetwork net) {
    String hostL = net.namespace("hl");
    String gw = net.namespace("gw");
    String peer = net.namespace("sw");
    String hostR = net.namespace("hr");
    net.veth(hostL, "198.18.1.2/24", gw, "198.18.1.1/24");
    String[] wire = net.veth(gw, "198.18.0.1/30", peer, "198.18.0.2/30");
    net.veth(peer, "198.18.2.1/24", hostR, "198.18.2.2/24");
    net.exec(hostL, "ip", "route", "add", "default", "via", "198.18.1.1");
    net.exec(hostR, "ip", "route", "add", "default", "via", "198.18.2.1");
    net.exec(gw, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    net.exec(peer, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    return new SiteToSiteLine(hostL, gw, peer, hostR, wire[0], wire[1]);
  }
}
