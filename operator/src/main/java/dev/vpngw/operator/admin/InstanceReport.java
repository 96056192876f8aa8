package dev.vpngw.operator.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vpngw.crds.v1alpha1.BgpPeerStatus;
import dev.vpngw.crds.v1alpha1.ConnectionStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one instance's GET /status said, parsed leniently: unknown fields are ignored and a part
 * that does not parse is dropped (the shape is still evolving in the data plane), never failing
 * the whole report.
 *
 * @param gateway gateway name the instance reports
 * @param instance instance index it reports
 * @param connections per-connection status by connection name
 * @param bgpPeers the instance's BGP sessions
 * @param learnedRoutes routes learned over BGP, if reported
 * @param configRevision revision of the configuration the instance runs, if reported
 */
public record InstanceReport(String gateway, Integer instance, Map<String, ConnectionStatus> connections,
    List<BgpPeerStatus> bgpPeers, Long learnedRoutes, Optional<String> configRevision) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);

  public InstanceReport {
    connections = Map.copyOf(connections);
    bgpPeers = List.copyOf(bgpPeers);
  }

  public static InstanceReport parse(String json) throws java.io.IOException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.isObject()) {
      throw new java.io.IOException("status is not a JSON object");
    }
    var conns = new LinkedHashMap<String, ConnectionStatus>();
    for (JsonNode c : root.path("connections")) {
      String name = c.path("name").asText("");
      if (name.isEmpty()) {
        continue;
      }
      // Either {"name":..,"status":{...}} or the status fields inline next to the name.
      JsonNode body = c.has("status") && c.get("status").isObject() ? c.get("status") : c;
      ConnectionStatus parsed = tryParse(body, ConnectionStatus.class);
      if (parsed != null) {
        conns.put(name, parsed);
      }
    }
    var peers = new ArrayList<BgpPeerStatus>();
    for (JsonNode p : root.path("bgpPeers")) {
      BgpPeerStatus parsed = tryParse(p, BgpPeerStatus.class);
      if (parsed != null) {
        peers.add(parsed);
      }
    }
    JsonNode routes = root.path("learnedRoutes");
    Long learned = null;
    if (routes.isNumber()) {
      learned = routes.asLong();
    } else if (routes.isArray()) {
      learned = (long) routes.size();
    }
    String revision = root.path("configRevision").asText("");
    return new InstanceReport(
        root.path("gateway").isTextual() ? root.get("gateway").asText() : null,
        root.path("instance").isInt() ? root.get("instance").asInt() : null,
        conns, peers, learned, revision.isEmpty() ? Optional.empty() : Optional.of(revision));
  }

  private static <T> T tryParse(JsonNode node, Class<T> type) {
    try {
      return JSON.treeToValue(node, type);
    } catch (Exception ignored) {
      return null;
    }
  }
}
