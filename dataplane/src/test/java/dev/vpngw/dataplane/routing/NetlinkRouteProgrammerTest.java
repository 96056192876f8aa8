package dev.vpngw.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernel route programming over rtnetlink in a namespace with veth stand-ins for the tunnel devices. */
class NetlinkRouteProgrammerTest {

  @Test
  @RequiresHost
  void routingTableChangesReachTheKernelInBatches() throws Exception {
    try (TestNetwork net = TestNetwork.create("nlp")) {
      String ns = net.namespace("gw");
      for (String d : List.of("vt1", "vt2")) {
        net.exec(ns, "ip", "link", "add", d, "type", "veth", "peer", "name", d + "p");
        net.exec(ns, "ip", "link", "set", d + "p", "up");
        net.exec(ns, "ip", "link", "set", d, "up");
      }
      ManualControlLoop loop = new ManualControlLoop();
      RoutingTable table = new RoutingTable(loop, 10);
      try (NetlinkRouteProgrammer prog = new NetlinkRouteProgrammer(ns, s -> "vt" + s)) {
        table.addKernelListener(prog);
        int base = Ipv4Prefix.parseAddress("198.18.0.0");
        // 10,000 routes: more than one write's worth (1,000 per write), all in one batch.
        for (int i = 0; i < 10_000; i++) {
          table.upsert(Route.staticRoute(new Ipv4Prefix(base + i * 8, 29), 1));
        }
        table.setStatic(2, List.of(Ipv4Prefix.parse("198.18.0.0/29"))); // ECMP with slot 1
        table.setNetwork(List.of(Ipv4Prefix.parse("198.19.0.0/24")));
        table.commit();
        loop.advance(10);
        prog.awaitIdle(30_000);
        assertThat(prog.lastError()).isNull();
        assertThat(prog.appliedBatches()).isEqualTo(1);
        assertThat(net.exec(ns, "sh", "-c", "ip -4 route show | grep -c '^198\\.1[89]\\.'").strip()).isEqualTo("10000");
        // The same fields as `ip route replace PREFIX dev D` (protocol boot, scope link, main table).
        assertThat(net.exec(ns, "ip", "-d", "route", "show", "198.18.0.8/29"))
            .contains("unicast 198.18.0.8/29 dev vt1 proto boot scope link");
        assertThat(net.exec(ns, "ip", "route", "show", "198.18.0.0/29")).contains("nexthop dev vt1").contains("nexthop dev vt2");
        assertThat(net.exec(ns, "ip", "route", "show", "198.19.0.0/24")).isBlank();

        // Replace is idempotent: the same batch again changes nothing and reports nothing.
        prog.apply(List.of(new KernelRouteListener.Change(Ipv4Prefix.parse("198.18.0.8/29"), new int[] {1})));
        prog.awaitIdle(30_000);
        assertThat(prog.lastError()).isNull();
        assertThat(net.exec(ns, "ip", "route", "show", "198.18.0.8/29")).contains("198.18.0.8/29 dev vt1");

        table.withdrawAll("static/1");
        table.commit();
        loop.advance(10);
        prog.awaitIdle(30_000);
        assertThat(prog.lastError()).isNull();
        String after = net.exec(ns, "ip", "-4", "route", "show");
        assertThat(after.lines().filter(l -> l.startsWith("198.18."))).containsExactly("198.18.0.0/29 dev vt2 scope link ");

        // Deleting what is already gone is quiet, as with ip -force.
        prog.apply(List.of(new KernelRouteListener.Change(Ipv4Prefix.parse("198.18.0.8/29"), new int[0])));
        prog.awaitIdle(30_000);
        assertThat(prog.lastError()).isNull();
      }
    }
  }

  @Test
  @RequiresHost
  void aMissingDeviceIsReportedByNameAndTheRestOfTheBatchGoesIn() throws Exception {
    try (TestNetwork net = TestNetwork.create("nlq")) {
      String ns = net.namespace("gw");
      net.exec(ns, "ip", "link", "add", "vt1", "type", "veth", "peer", "name", "vt1p");
      net.exec(ns, "ip", "link", "set", "vt1", "up");
      try (NetlinkRouteProgrammer prog = new NetlinkRouteProgrammer(ns, s -> "vt" + s)) {
        prog.apply(List.of(new KernelRouteListener.Change(Ipv4Prefix.parse("198.18.5.0/24"), new int[] {7}),
            new KernelRouteListener.Change(Ipv4Prefix.parse("198.18.4.0/24"), new int[] {1})));
        prog.awaitIdle(30_000);
        assertThat(prog.lastError()).contains("route replace 198.18.5.0/24 dev vt7: device: 'vt7'").contains("ENODEV");
        assertThat(net.exec(ns, "ip", "route", "show", "198.18.4.0/24")).contains("dev vt1");
        // A device that is down: the kernel refuses the route, the other one goes in.
        net.exec(ns, "ip", "link", "add", "vt3", "type", "veth", "peer", "name", "vt3p");
        prog.apply(List.of(new KernelRouteListener.Change(Ipv4Prefix.parse("198.18.6.0/24"), new int[] {3}),
            new KernelRouteListener.Change(Ipv4Prefix.parse("198.18.7.0/24"), new int[] {1})));
        prog.awaitIdle(30_000);
        assertThat(prog.lastError()).contains("route replace 198.18.6.0/24 dev vt3").contains("ENETDOWN");
        assertThat(net.exec(ns, "ip", "route", "show", "198.18.7.0/24")).contains("dev vt1");
        assertThat(net.exec(ns, "ip", "route", "show", "198.18.6.0/24")).isBlank();
      }
    }
  }
}
