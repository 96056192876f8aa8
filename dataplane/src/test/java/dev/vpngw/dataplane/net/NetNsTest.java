package dev.vpngw.dataplane.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

@RequiresHost
class NetNsTest {

  @Test
  void socketCreatedInNamespaceKeepsItAndCallerStaysHome() throws Exception {
    try (TestNetwork net = TestNetwork.create("nsns")) {
      String ns = net.namespace("a");
      net.exec(ns, "ip", "addr", "add", "198.18.200.1/32", "dev", "lo");
      String home = NetNs.currentNamespaceId();
      String inside = NetNs.runIn(ns, NetNs::currentNamespaceId);
      assertThat(inside).isNotEqualTo(home);
      assertThat(NetNs.currentNamespaceId()).isEqualTo(home);

      // 198.18.200.1 exists only inside the namespace: binding works there and nowhere else.
      try (DatagramChannel ch = NetNs.runIn(ns, () -> DatagramChannel.open(StandardProtocolFamily.INET)
          .bind(new InetSocketAddress("198.18.200.1", 0)))) {
        assertThat(ch.getLocalAddress().toString()).contains("198.18.200.1");
        assertThat(net.exec(ns, "ss", "-uan")).contains("198.18.200.1");
      }
      assertThatThrownBy(() -> DatagramChannel.open(StandardProtocolFamily.INET)
          .bind(new InetSocketAddress("198.18.200.1", 0))).hasMessageContaining("assign");
    }
  }

  @Test
  void unknownNamespaceIsAClearError() {
    assertThatThrownBy(() -> NetNs.runIn("no-such-ns-vpngw", () -> 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-ns-vpngw");
  }
}
