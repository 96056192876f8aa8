package dev.vpngw.operator.desired;

import static dev.vpngw.crds.validation.Topology.nameOf;
import static dev.vpngw.crds.validation.Topology.namespaceOf;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.GatewayInstance;
import dev.vpngw.crds.v1alpha1.GatewayInstanceStatus;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGatewaySpec;
import dev.vpngw.crds.validation.Topology;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data plane's input for one instance: the gateway, the sites and remote gateways of its
 * runnable connections, those connections, and Secrets holding only the keys they reference, as
 * "---"-separated YAML that {@code ManifestSet} reads back. Copies carry name, namespace and spec
 * only, so status churn and server-set metadata never change the configuration.
 */
public final class InstanceConfig {
  private InstanceConfig() {}

  /** Annotation on a VirtualNetworkGateway copy that is only the far end of a Vnet2Vnet connection. */
  public static final String REMOTE_GATEWAY_ANNOTATION = Labels.PREFIX + "remote-gateway";

  /** The manifests text for one instance. Deterministic: equal inputs give equal bytes. */
  public static String render(VirtualNetworkGateway gateway, Topology topology, List<Connection> included, int instance) {
    var docs = new ArrayList<HasMetadata>();
    docs.add(gatewayCopy(gateway, false));
    var sites = new TreeMap<String, LocalNetworkGateway>();
    var remotes = new TreeMap<String, VirtualNetworkGateway>();
    var secretKeys = new TreeMap<String, TreeMap<String, String>>();
    for (Connection c : included) {
      Selection.remoteSite(c, topology).ifPresent(l -> sites.put(nameOf(l), l));
      Selection.remoteGateway(c, topology).ifPresent(v -> remotes.put(nameOf(v), v));
      var ref = c.getSpec().sharedKey().secretKeyRef();
      topology.secretValue(namespaceOf(c), ref.name(), ref.key()).ifPresent(value -> secretKeys
          .computeIfAbsent(ref.name(), n -> new TreeMap<>())
          .put(ref.key(), Base64.getEncoder().encodeToString(value)));
    }
    sites.values().forEach(l -> docs.add(siteCopy(l)));
    remotes.values().forEach(v -> docs.add(gatewayCopy(v, true)));
    included.forEach(c -> docs.add(connectionCopy(c)));
    secretKeys.forEach((name, data) -> docs.add(new SecretBuilder()
        .withMetadata(meta(name, namespaceOf(gateway)))
        .withType("Opaque")
        .withData(new LinkedHashMap<>(data))
        .build()));
    var sb = new StringBuilder();
    sb.append("# vpngw instance ").append(instance).append(" of VirtualNetworkGateway ")
        .append(namespaceOf(gateway)).append('/').append(nameOf(gateway)).append(", rendered by the operator\n");
    for (HasMetadata d : docs) {
      String yaml = Serialization.asYaml(d);
      sb.append(yaml.startsWith("---") ? yaml : "---\n" + yaml);
      if (!yaml.endsWith("\n")) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** Short content hash (16 hex digits of SHA-256): the configuration revision. */
  public static String revision(String manifests) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(manifests.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectMeta meta(String name, String namespace) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).build();
  }

  private static VirtualNetworkGateway gatewayCopy(VirtualNetworkGateway g, boolean remote) {
    var copy = new VirtualNetworkGateway();
    copy.setMetadata(meta(nameOf(g), namespaceOf(g)));
    VirtualNetworkGatewaySpec s = g.getSpec();
    if (remote) {
      copy.getMetadata().setAnnotations(Map.of(REMOTE_GATEWAY_ANNOTATION, "true"));
      s = withObservedPublicIps(g);
    }
    copy.setSpec(s);
    return copy;
  }

  /**
   * The far gateway's endpoints: where its spec has no static public IP, the address its load
   * balancer got (status.instances[].publicIpAddress) is filled in, so the data plane knows whom to dial.
   */
  private static VirtualNetworkGatewaySpec withObservedPublicIps(VirtualNetworkGateway g) {
    var s = g.getSpec();
    List<GatewayInstanceStatus> observed = g.getStatus() == null ? List.of() : g.getStatus().instances();
    var instances = new ArrayList<GatewayInstance>();
    for (int i = 0; i < s.activeInstanceCount(); i++) {
      GatewayInstance given = i < s.instances().size() ? s.instances().get(i) : null;
      String ip = given == null ? null : given.publicIpAddress();
      if (ip == null) {
        final int idx = i;
        ip = observed.stream().filter(o -> o.instance() != null && o.instance() == idx)
            .map(GatewayInstanceStatus::publicIpAddress).filter(a -> a != null && !a.isEmpty())
            .findFirst().orElse(null);
      }
      instances.add(new GatewayInstance(ip, null));
    }
    while (!instances.isEmpty() && instances.getLast().publicIpAddress() == null) {
      instances.removeLast();
    }
    return new VirtualNetworkGatewaySpec(s.sku(), s.vpnType(), s.activeActive(), s.enableBgp(), s.bgpSettings(),
        s.addressSpace(), instances, s.zones());
  }

  private static LocalNetworkGateway siteCopy(LocalNetworkGateway l) {
    var copy = new LocalNetworkGateway();
    copy.setMetadata(meta(nameOf(l), namespaceOf(l)));
    copy.setSpec(l.getSpec());
    return copy;
  }

  private static Connection connectionCopy(Connection c) {
    var copy = new Connection();
    copy.setMetadata(meta(nameOf(c), namespaceOf(c)));
    copy.setSpec(c.getSpec());
    return copy;
  }

  /** The Secret referenced keys of a connection live in, for callers that need to watch it. */
  public static Map<String, Secret> referencedSecrets(List<Connection> connections, Topology t) {
    var out = new TreeMap<String, Secret>();
    for (Connection c : connections) {
      var ref = c.getSpec().sharedKey() == null ? null : c.getSpec().sharedKey().secretKeyRef();
      if (ref != null) {
        t.secret(namespaceOf(c), ref.name()).ifPresent(s -> out.put(ref.name(), s));
      }
    }
    return out;
  }
}
