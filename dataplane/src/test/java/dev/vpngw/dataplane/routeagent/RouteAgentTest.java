package dev.vpngw.dataplane.routeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteAgentTest {

  static RouteAgentConfig config(String prefixes, String hops) throws IOException {
    return RouteAgentConfig.parse("routes.yaml", """
        gateway: default/gw
        table: 4500
        prefixes: [%s]
        nextHops: [%s]
        """.formatted(prefixes, hops));
  }

  @Test
  void planEcmpSingleAndUnreachable() throws IOException {
    assertThat(RouteAgent.plan(config("203.0.113.0/24", "198.18.5.2, 198.18.5.3"), Set.of(), Set.of())).containsExactly(
        "route replace 203.0.113.0/24 table 4500 nexthop via 198.18.5.2 nexthop via 198.18.5.3",
        "rule add to 203.0.113.0/24 lookup 4500 priority 4500");
    assertThat(RouteAgent.plan(config("203.0.113.0/24", "198.18.5.2"), Set.of("203.0.113.0/24"), Set.of("203.0.113.0/24")))
        .containsExactly("route replace 203.0.113.0/24 table 4500 via 198.18.5.2");
    assertThat(RouteAgent.plan(config("203.0.113.0/24", ""), Set.of(), Set.of("203.0.113.0/24")))
        .as("no ready gateway: refuse at the node rather than leak out of the default route")
        .containsExactly("route replace unreachable 203.0.113.0/24 table 4500");
    assertThat(RouteAgent.plan(config("", ""), Set.of("192.0.2.0/24"), Set.of("192.0.2.0/24"))).containsExactly(
        "route del 192.0.2.0/24 table 4500", "rule del to 192.0.2.0/24 lookup 4500 priority 4500");
  }

  @Test
  void badFilesNameTheField() {
    assertThatThrownBy(() -> config("203.0.113.1/24", "")).hasMessageContaining("routes.yaml: prefixes: '203.0.113.1/24'");
    assertThatThrownBy(() -> config("", "not-an-ip")).hasMessageContaining("nextHops: 'not-an-ip'");
    assertThatThrownBy(() -> RouteAgentConfig.parse("r.yaml", "table: 254\n")).hasMessageContaining("r.yaml: table:");
  }

  @Test
  @RequiresHost
  void reconcilesARealNamespaceIdempotently() throws IOException {
    try (TestNetwork net = TestNetwork.create("ra")) {
      String node = net.namespace("node");
      String gws = net.namespace("gws");
      net.veth(node, "198.18.5.1/24", gws, "198.18.5.2/24");
      net.exec(gws, "ip", "addr", "add", "198.18.5.3/24", "dev", "lo");
      RouteAgent agent = new RouteAgent(node);

      List<String> first = agent.reconcile(config("203.0.113.0/24, 198.51.100.0/24", "198.18.5.2, 198.18.5.3"));
      assertThat(first).hasSize(4);
      String table = net.exec(node, "ip", "route", "show", "table", "4500");
      assertThat(table).contains("203.0.113.0/24").contains("nexthop via 198.18.5.2").contains("nexthop via 198.18.5.3");
      assertThat(net.exec(node, "ip", "rule", "show")).contains("to 203.0.113.0/24 lookup 4500")
          .contains("to 198.51.100.0/24 lookup 4500");
      assertThat(net.exec(node, "ip", "route", "get", "203.0.113.7")).contains("table 4500");

      // Again, unchanged: only the idempotent route replaces, no duplicate rules.
      assertThat(agent.reconcile(config("203.0.113.0/24, 198.51.100.0/24", "198.18.5.2, 198.18.5.3")))
          .noneMatch(l -> l.startsWith("rule"));

      // One instance gone, one site removed.
      agent.reconcile(config("203.0.113.0/24", "198.18.5.3"));
      table = net.exec(node, "ip", "route", "show", "table", "4500");
      assertThat(table).contains("203.0.113.0/24 via 198.18.5.3").doesNotContain("198.51.100.0/24");
      assertThat(net.exec(node, "ip", "rule", "show")).doesNotContain("198.51.100.0/24");
    }
  }
}
