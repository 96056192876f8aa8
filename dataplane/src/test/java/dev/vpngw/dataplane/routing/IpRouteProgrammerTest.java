package dev.vpngw.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernel route programming through {@code ip -batch} in a namespace with dummy "tunnel" devices. */
class IpRouteProgrammerTest {

  @Test
  void commandLines() {
    IpRouteProgrammer p = new IpRouteProgrammer(null, s -> s == 9 ? null : "vti" + s);
    assertThat(p.commands(List.of(
        new KernelRouteListener.Change(Ipv4Prefix.parse("198.18.10.0/29"), new int[] {1}),
        new KernelRouteListener.Change(Ipv4Prefix.parse("198.18.11.0/29"), new int[] {1, 2}),
        new KernelRouteListener.Change(Ipv4Prefix.parse("198.18.12.0/29"), new int[0]),
        new KernelRouteListener.Change(Ipv4Prefix.parse("198.18.13.0/29"), new int[] {9}))))
        .containsExactly(
            "route replace 198.18.10.0/29 dev vti1",
            "route replace 198.18.11.0/29 nexthop dev vti1 nexthop dev vti2",
            "route del 198.18.12.0/29",
            "route del 198.18.13.0/29");
  }

  @Test
  @RequiresHost
  void routingTableChangesReachTheKernelInBatches() throws Exception {
    try (TestNetwork net = TestNetwork.create("rtp")) {
      String ns = net.namespace("gw");
      // Stand-ins for the TUN devices: veth pairs inside the namespace (this kernel has no dummy).
      for (String d : List.of("vt1", "vt2")) {
        net.exec(ns, "ip", "link", "add", d, "type", "veth", "peer", "name", d + "p");
        net.exec(ns, "ip", "link", "set", d + "p", "up");
        net.exec(ns, "ip", "link", "set", d, "up");
      }
      ManualControlLoop loop = new ManualControlLoop();
      RoutingTable table = new RoutingTable(loop, 10);
      try (IpRouteProgrammer prog = new IpRouteProgrammer(ns, s -> "vt" + s)) {
        table.addKernelListener(prog);
        int base = Ipv4Prefix.parseAddress("198.18.0.0");
        for (int i = 0; i < 2000; i++) {
          table.upsert(Route.staticRoute(new Ipv4Prefix(base + i * 8, 29), 1));
        }
        table.setStatic(2, List.of(Ipv4Prefix.parse("198.18.0.0/29"))); // ECMP with slot 1
        table.setNetwork(List.of(Ipv4Prefix.parse("198.19.0.0/24")));
        table.commit();
        loop.advance(10);
        prog.awaitIdle(30_000);
        assertThat(prog.lastError()).isNull();
        assertThat(prog.appliedBatches()).isEqualTo(1);
        // Counted inside the namespace: TestNetwork reads output only after exit, so 2,000 lines
        // would fill the pipe.
        assertThat(net.exec(ns, "sh", "-c", "ip -4 route show | grep -c '^198\\.18\\.'").strip()).isEqualTo("2000");
        assertThat(net.exec(ns, "ip", "route", "show", "198.18.0.8/29")).contains("198.18.0.8/29 dev vt1");
        String routes = net.exec(ns, "sh", "-c", "ip -4 route show | grep -v '^198\\.18\\.'; true");
        assertThat(net.exec(ns, "ip", "route", "show", "198.18.0.0/29")).contains("nexthop dev vt1").contains("nexthop dev vt2");
        assertThat(routes).doesNotContain("198.19.0.0/24");

        table.withdrawAll("static/1");
        table.commit();
        loop.advance(10);
        prog.awaitIdle(30_000);
        assertThat(prog.lastError()).isNull();
        String after = net.exec(ns, "ip", "-4", "route", "show");
        assertThat(after.lines().filter(l -> l.startsWith("198.18."))).containsExactly("198.18.0.0/29 dev vt2 scope link ");
      }
    }
  }
}
