package dev.vpngw.crds.validation;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.GatewayReference;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of the resources the validator looks at: gateways, sites, connections and the
 * Secrets they reference. References resolve by name within the referrer's namespace; a resource
 * without a namespace counts as being in {@link #DEFAULT_NAMESPACE}.
 */
public record Topology(List<VirtualNetworkGateway> virtualNetworkGateways,
    List<LocalNetworkGateway> localNetworkGateways, List<Connection> connections, List<Secret> secrets) {

  public static final String DEFAULT_NAMESPACE = "default";

  public Topology {
    virtualNetworkGateways = List.copyOf(virtualNetworkGateways);
    localNetworkGateways = List.copyOf(localNetworkGateways);
    connections = List.copyOf(connections);
    secrets = List.copyOf(secrets);
  }

  public static String namespaceOf(HasMetadata r) {
    String ns = r.getMetadata() == null ? null : r.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? DEFAULT_NAMESPACE : ns;
  }

  public static String nameOf(HasMetadata r) {
    return r.getMetadata() == null ? null : r.getMetadata().getName();
  }

  private static <T extends HasMetadata> Optional<T> find(List<T> list, String namespace, String name) {
    return list.stream().filter(r -> namespace.equals(namespaceOf(r)) && name != null && name.equals(nameOf(r))).findFirst();
  }

  public Optional<VirtualNetworkGateway> virtualNetworkGateway(String namespace, String name) {
    return find(virtualNetworkGateways, namespace, name);
  }

  public Optional<LocalNetworkGateway> localNetworkGateway(String namespace, String name) {
    return find(localNetworkGateways, namespace, name);
  }

  public Optional<Secret> secret(String namespace, String name) {
    return find(secrets, namespace, name);
  }

  /** Connections whose virtualNetworkGateway1 is the given gateway. */
  public List<Connection> connectionsOf(VirtualNetworkGateway gateway) {
    String ns = namespaceOf(gateway);
    String name = nameOf(gateway);
    return connections.stream()
        .filter(c -> ns.equals(namespaceOf(c)) && c.getSpec() != null && c.getSpec().virtualNetworkGateway1() != null
            && name.equals(c.getSpec().virtualNetworkGateway1().name()))
        .toList();
  }

  /**
   * Connections that refer to the given gateway, site or Secret by name (as virtualNetworkGateway1,
   * virtualNetworkGateway2, localNetworkGateway2 or sharedKey) in its namespace: whose status and
   * validation change when it does.
   */
  public List<Connection> connectionsReferencing(HasMetadata resource) {
    String ns = namespaceOf(resource);
    String name = nameOf(resource);
    return connections.stream()
        .filter(c -> ns.equals(namespaceOf(c)) && c.getSpec() != null)
        .filter(c -> switch (resource) {
          case VirtualNetworkGateway v -> refersTo(c.getSpec().virtualNetworkGateway1(), name)
              || refersTo(c.getSpec().virtualNetworkGateway2(), name);
          case LocalNetworkGateway l -> refersTo(c.getSpec().localNetworkGateway2(), name);
          case Secret s -> c.getSpec().sharedKey() != null && c.getSpec().sharedKey().secretKeyRef() != null
              && name.equals(c.getSpec().sharedKey().secretKeyRef().name());
          default -> false;
        })
        .toList();
  }

  private static boolean refersTo(GatewayReference ref, String name) {
    return ref != null && name.equals(ref.name());
  }

  /**
   * The value of a Secret key: {@code stringData} wins over base64 {@code data}, as when the API
   * server merges them. Empty when the Secret or key is missing or the data is not valid base64.
   */
  public static Optional<byte[]> secretValue(Secret secret, String key) {
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return Optional.of(secret.getStringData().get(key).getBytes(StandardCharsets.UTF_8));
    }
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        return Optional.of(Base64.getMimeDecoder().decode(secret.getData().get(key)));
      } catch (IllegalArgumentException notBase64) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Looks up a Secret key in the given namespace. */
  public Optional<byte[]> secretValue(String namespace, String secretName, String key) {
    return secret(namespace, secretName).flatMap(s -> secretValue(s, key));
  }
}
