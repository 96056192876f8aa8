package dev.vpngw.dataplane.config;

import dev.vpngw.crds.ManifestException;
import dev.vpngw.crds.ManifestSet;

/** Small YAML manifests for planner tests (documentation addresses only). */
public final class TestManifests {
  private TestManifests() {}

  public static ManifestSet parse(String... documents) {
    try {
      return ManifestSet.parse("test.yaml", String.join("\n---\n", documents), "default");
    } catch (ManifestException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  public static String secret(String name, String key, String value) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s}
        stringData: {%s: %s}
        """.formatted(name, key, value);
  }

  public static String gateway(String name, String extra) {
    return """
        apiVersion: vpngw.dev/v1alpha1
        kind: VirtualNetworkGateway
        metadata: {name: %s}
        spec:
          sku: VpnGw2
        %s""".formatted(name, extra.indent(2));
  }

  public static String site(String name, String spec) {
    return """
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: %s}
        spec:
        %s""".formatted(name, spec.indent(2));
  }

  public static String connection(String name, String spec) {
    return """
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: %s}
        spec:
        %s""".formatted(name, spec.indent(2));
  }

  /** An IPsec connection from gw to site, key "psk" in Secret "psk". */
  public static String ipsec(String name, String site, String extra) {
    return connection(name, """
        connectionType: IPsec
        virtualNetworkGateway1: {name: gw}
        localNetworkGateway2: {name: %s}
        sharedKey: {secretKeyRef: {name: psk, key: psk}}
        %s""".formatted(site, extra));
  }

  public static final String GW = gateway("gw", """
      addressSpace: [198.18.0.0/16]
      instances: [{publicIpAddress: 203.0.113.10}]
      """);

  public static final String PSK = secret("psk", "psk", "Sup3rSecretKey42");
}
