package dev.vpngw.dataplane.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrongSwanPeerParserTest {
  @Test
  void parsesSwanctlRawOutput() {
    String line = "{vpngw {uniqueid=1 version=2 state=ESTABLISHED local-host=198.18.0.2 initiator-spi=aa responder-spi=bb "
        + "child-sas {net-1 {name=net state=INSTALLED spi-in=c1 spi-out=c2 local-ts=[0.0.0.0/0] remote-ts=[198.18.1.0/24 198.18.2.0/24]}}}}";
    Map<String, Object> m = StrongSwanPeer.ViciRaw.parse(line);
    @SuppressWarnings("unchecked") Map<String, Object> ike = (Map<String, Object>) m.get("vpngw");
    assertThat(ike).containsEntry("state", "ESTABLISHED").containsEntry("initiator-spi", "aa");
    @SuppressWarnings("unchecked") Map<String, Object> child = (Map<String, Object>) ((Map<String, Object>) ike.get("child-sas")).get("net-1");
    assertThat(child).containsEntry("spi-in", "c1");
    assertThat(child.get("remote-ts")).isEqualTo(List.of("198.18.1.0/24", "198.18.2.0/24"));
  }
}
