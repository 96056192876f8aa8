package dev.vpngw.dataplane.routeagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator publishes for the node route agents (ConfigMap key {@code routes.yaml}): the
 * sites' prefixes and the active gateway pods' IPs to reach them through.
 */
public record RouteAgentConfig(String gateway, int table, List<String> prefixes, List<String> nextHops) {

  public RouteAgentConfig {
    prefixes = List.copyOf(prefixes);
    nextHops = List.copyOf(nextHops);
  }

  public static RouteAgentConfig load(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file));
  }

  /** Parses and validates; errors name the file and the field. */
  public static RouteAgentConfig parse(String source, String yaml) throws IOException {
    JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    if (n == null || !n.isObject()) {
      throw new IOException(source + ": expected a mapping with gateway, table, prefixes, nextHops");
    }
    int table = n.path("table").asInt(-1);
    if (table < 1 || table > 0x7fffffff || table == 253 || table == 254 || table == 255) {
      throw new IOException(source + ": table: " + n.path("table") + " is not a usable routing table id");
    }
    List<String> prefixes = new ArrayList<>();
    for (JsonNode p : n.path("prefixes")) {
      var a = new IPAddressString(p.asText()).getAddress();
      if (a == null || !a.isPrefixBlock() || !a.isIPv4()) {
        throw new IOException(source + ": prefixes: '" + p.asText() + "' is not an IPv4 network prefix");
      }
      prefixes.add(a.toPrefixLengthString());
    }
    List<String> hops = new ArrayList<>();
    for (JsonNode h : n.path("nextHops")) {
      var a = new IPAddressString(h.asText()).getAddress();
      if (a == null || !a.isIPv4() || a.isPrefixed()) {
        throw new IOException(source + ": nextHops: '" + h.asText() + "' is not an IPv4 address");
      }
      hops.add(a.toCanonicalString());
    }
    return new RouteAgentConfig(n.path("gateway").asText(""), table, prefixes, hops);
  }
}
