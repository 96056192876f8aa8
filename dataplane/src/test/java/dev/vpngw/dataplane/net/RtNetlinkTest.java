package dev.vpngw.dataplane.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtNetlinkTest {
  private static final int NET = 0xC6120900; // 198.18.9.0

  @Test
  void badRoutesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> RtRoute.replace(NET | 1, 24, RtRoute.TABLE_MAIN, 2)).hasMessageContaining("dst: 198.18.9.1/24 has host bits");
    assertThatThrownBy(() -> RtRoute.replace(NET, 33, RtRoute.TABLE_MAIN, 2)).hasMessageStartingWith("prefix length: 33");
    assertThatThrownBy(() -> RtRoute.replace(NET, 24, 0, 2)).hasMessageStartingWith("table: 0");
    assertThatThrownBy(() -> RtRoute.replace(NET, 24, RtRoute.TABLE_MAIN)).hasMessageStartingWith("ifindexes:");
    assertThatThrownBy(() -> RtRoute.replace(NET, 24, RtRoute.TABLE_MAIN, -1)).hasMessageStartingWith("ifindexes: -1");
    assertThat(RtRoute.replace(NET, 24, 100, 2, 3)).hasToString("route replace 198.18.9.0/24 table 100 nexthop dev #2 nexthop dev #3");
  }

  @Test
  @RequiresHost
  void routesGoInAndOutAndTheKernelsRefusalsComeBackPerRoute() {
    try (TestNetwork net = TestNetwork.create("rtn")) {
      String ns = net.namespace("gw");
      net.exec(ns, "ip", "link", "add", "nl1", "type", "veth", "peer", "name", "nl1p");
      net.exec(ns, "ip", "link", "set", "nl1", "up");
      try (RtNetlink nl = RtNetlink.openIn(ns)) {
        int nl1 = nl.linkIndex("nl1");
        assertThat(net.exec(ns, "cat", "/sys/class/net/nl1/ifindex").strip()).isEqualTo(Integer.toString(nl1));
        assertThatThrownBy(() -> nl.linkIndex("nosuchdev0")).hasMessageContaining("device: 'nosuchdev0'").hasMessageContaining("ENODEV");
        assertThatThrownBy(() -> nl.linkIndex("a/b")).hasMessageStartingWith("device: 'a/b' is not an interface name");

        // A table other than main, as the route agent uses.
        List<RtNetlink.Failure> f = nl.apply(List.of(RtRoute.replace(NET, 24, RtRoute.TABLE_MAIN, nl1),
            RtRoute.replace(NET, 24, 4500, nl1), RtRoute.replace(0xC6120A00, 24, RtRoute.TABLE_MAIN, 99_999),
            RtRoute.remove(0xC6120B00, 24, RtRoute.TABLE_MAIN)));
        assertThat(f).extracting(RtNetlink.Failure::errno).containsExactly(19, 3); // ENODEV, ESRCH
        assertThat(f.getFirst().toString()).contains("198.18.10.0/24").contains("ENODEV (No such device)");
        assertThat(net.exec(ns, "ip", "-d", "route", "show", "198.18.9.0/24")).contains("unicast 198.18.9.0/24 dev nl1 proto boot scope link");
        assertThat(net.exec(ns, "ip", "route", "show", "table", "4500")).contains("198.18.9.0/24 dev nl1");

        assertThat(nl.apply(List.of(RtRoute.remove(NET, 24, RtRoute.TABLE_MAIN), RtRoute.remove(NET, 24, 4500)))).isEmpty();
        assertThat(net.exec(ns, "ip", "route", "show", "198.18.9.0/24")).isBlank();
        assertThat(net.exec(ns, "ip", "route", "show", "table", "4500")).isBlank();
      }
    }
  }
}
