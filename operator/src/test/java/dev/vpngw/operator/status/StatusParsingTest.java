package dev.vpngw.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.crds.v1alpha1.BgpPeerState;
import dev.vpngw.crds.v1alpha1.ConnectionState;
import dev.vpngw.operator.admin.InstanceReport;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusParsingTest {

  private static GatewayObservations.Instance instance(int i, String json) throws Exception {
    return new GatewayObservations.Instance(i, "gw-" + i + "-0", "198.18.0." + i, true, true,
        Optional.of(InstanceReport.parse(json)), Optional.empty(), Optional.empty());
  }

  @Test
  void parsesLenientlyIgnoringUnknownFieldsAndBadParts() throws Exception {
    var r = InstanceReport.parse("""
        {"gateway":"gw","instance":1,"newTopLevel":[1,2],"learnedRoutes":[{"p":"198.19.0.0/24"},{"p":"198.19.1.0/24"}],
         "connections":[
           {"name":"a","status":{"connectionStatus":"Connected","tunnels":[{"state":"Connected","surprise":1}]}},
           {"name":"b","connectionStatus":"Connecting"},
           {"name":"c","status":{"connectionStatus":"SomethingNew","tunnels":"not-a-list"}},
           {"status":{}}
         ],
         "bgpPeers":[{"neighbor":"169.254.21.2","state":"Established","asn":65020}, "garbage"]}
        """);
    assertThat(r.instance()).isEqualTo(1);
    assertThat(r.learnedRoutes()).isEqualTo(2L);
    assertThat(r.connections()).containsOnlyKeys("a", "b");
    assertThat(r.connections().get("a").tunnels()).singleElement().satisfies(t -> assertThat(t.state()).isEqualTo(ConnectionState.Connected));
    assertThat(r.connections().get("b").connectionStatus()).isEqualTo(ConnectionState.Connecting);
    assertThat(r.bgpPeers()).singleElement().satisfies(p -> assertThat(p.state()).isEqualTo(BgpPeerState.Established));
    assertThat(r.configRevision()).isEmpty();
  }

  @Test
  void errorsMapToCamelCaseReasons() throws Exception {
    String json = """
        {"connections":[{"name":"a","status":{"connectionStatus":"NotConnected",
          "tunnels":[{"state":"NotConnected","lastError":"%s"}]}}]}""";
    assertThat(ConnectionStatusAggregator.aggregate("a", false, List.of(instance(0, json.formatted("AUTHENTICATION_FAILED"))), 1L)
        .ready().getReason()).isEqualTo("AuthenticationFailed");
    assertThat(ConnectionStatusAggregator.aggregate("a", false, List.of(instance(0, json.formatted("NO_PROPOSAL_CHOSEN from peer"))), 1L)
        .ready().getReason()).isEqualTo("NoProposalChosen");
    assertThat(ConnectionStatusAggregator.aggregate("a", false, List.of(instance(0, json.formatted("DPD timeout after 45 s"))), 1L)
        .ready().getReason()).isEqualTo("PeerUnreachable");
  }

  @Test
  void aBgpSessionDroppedForItsPrefixLimitKeepsTheDataPlanesReason() throws Exception {
    String report = """
        {"connections":[{"name":"a","status":{"tunnels":[{"state":"Connected"}],
          "bgpPeers":[{"neighbor":"169.254.21.2","asn":65020,"state":"Idle"}],
          "conditions":[{"type":"BgpEstablished","status":"False","reason":"BgpPrefixLimitExceeded",
            "message":"maximum prefixes exceeded: received 4001 > limit 4000"}]}}]}""";
    var r = ConnectionStatusAggregator.aggregate("a", true, List.of(instance(0, report)), 2L);
    assertThat(r.ready().getStatus()).isEqualTo("False");
    assertThat(r.ready().getReason()).isEqualTo("BgpPrefixLimitExceeded");
    assertThat(r.ready().getMessage()).contains("1/1 tunnels connected").contains("received 4001 > limit 4000");
    // Without the data plane's reason the operator's own one stands.
    var plain = ConnectionStatusAggregator.aggregate("a", true, List.of(instance(0, report.replace(
        "\"conditions\":[{\"type\":\"BgpEstablished\",\"status\":\"False\",\"reason\":\"BgpPrefixLimitExceeded\",", "\"x\":[{"))), 2L);
    assertThat(plain.ready().getReason()).isEqualTo("BgpSessionDown");
  }

  @Test
  void connectedWhenAnyTunnelIsUpAndBytesAddUpAcrossInstances() throws Exception {
    String up = """
        {"connections":[{"name":"a","status":{"tunnels":[{"state":"Connected","ingressBytesTransferred":5,"egressBytesTransferred":7}]}}]}""";
    String down = """
        {"connections":[{"name":"a","status":{"tunnels":[{"state":"Connecting","ingressBytesTransferred":1,"egressBytesTransferred":0}]}}]}""";
    var r = ConnectionStatusAggregator.aggregate("a", false, List.of(instance(0, up), instance(1, down)), 3L);
    assertThat(r.observed().connectionStatus()).isEqualTo(ConnectionState.Connected);
    assertThat(r.observed().ingressBytesTransferred()).isEqualTo(6L);
    assertThat(r.observed().egressBytesTransferred()).isEqualTo(7L);
    assertThat(r.observed().tunnels()).extracting(t -> t.instance()).containsExactly(0, 1);
    assertThat(r.ready().getStatus()).isEqualTo("True");
    assertThat(r.ready().getMessage()).isEqualTo("1/2 tunnels connected");
    assertThat(r.ready().getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void lastTransitionTimeOnlyMovesWhenTheStatusChanges() {
    var t1 = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    var t2 = Clock.fixed(Instant.parse("2026-11-23T11:00:00Z"), ZoneOffset.UTC);
    List<Condition> first = Conditions.merge(List.of(), List.of(Conditions.of("Ready", true, "A", "m1", 1L)), t1);
    List<Condition> sameStatus = Conditions.merge(first, List.of(Conditions.of("Ready", true, "B", "m2", 2L)), t2);
    assertThat(sameStatus.getFirst().getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
    List<Condition> flipped = Conditions.merge(sameStatus, List.of(Conditions.of("Ready", false, "C", "m3", 2L)), t2);
    assertThat(flipped.getFirst().getLastTransitionTime()).isEqualTo("2026-11-23T11:00:00Z");
  }
}
