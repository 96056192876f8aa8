package dev.vpngw.dataplane.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vpngw.dataplane.bgp.status.BgpPeerStatus;
import dev.vpngw.dataplane.bgp.status.GatewayRoute;
import org.junit.jupiter.api.Test;

/** The status records serialize with Azure's field names, as a JSON endpoint would send them. */
class StatusJsonTest {
  @Test
  void azureFieldNames() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String peer = json.writeValueAsString(new BgpPeerStatus("169.254.21.1", "169.254.21.2", 65010, "Connected", BgpPeerStatus.timeSpan(3_723_456),
        5, 10, 11, "ESTABLISHED", 90, true, true, 0, 0, 0, "", "", 3, 4, 0, 1, false));
    assertThat(peer).contains("\"localAddress\":\"169.254.21.1\"", "\"neighbor\":\"169.254.21.2\"", "\"asn\":65010",
        "\"state\":\"Connected\"", "\"connectedDuration\":\"01:02:03.4560000\"", "\"routesReceived\":5", "\"messagesSent\":10",
        "\"messagesReceived\":11");
    String route = json.writeValueAsString(new GatewayRoute("169.254.21.1", "198.18.10.0/29", "169.254.21.2", "169.254.21.2", "EBgp", "65010", 0));
    assertThat(route).isEqualTo("{\"localAddress\":\"169.254.21.1\",\"network\":\"198.18.10.0/29\",\"nextHop\":\"169.254.21.2\","
        + "\"sourcePeer\":\"169.254.21.2\",\"origin\":\"EBgp\",\"asPath\":\"65010\",\"weight\":0}");
  }
}
