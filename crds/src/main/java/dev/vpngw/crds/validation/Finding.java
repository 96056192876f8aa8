package dev.vpngw.crds.validation;

/**
 * One problem the {@link TopologyValidator} found.
 *
 * @param resourceKind VirtualNetworkGateway, LocalNetworkGateway or Connection
 * @param namespace the resource's namespace
 * @param resourceName the resource's name
 * @param fieldPath the offending field, e.g. {@code spec.sharedKey.secretKeyRef.name}
 * @param reason CamelCase reason for a condition, see {@link Reasons}
 * @param message human-readable explanation naming the field (never a secret value)
 */
public record Finding(String resourceKind, String namespace, String resourceName, String fieldPath, String reason,
    String message) {

  /** Whether this finding is about the given resource. */
  public boolean concerns(String kind, String namespace, String name) {
    return resourceKind.equals(kind) && this.namespace.equals(namespace) && resourceName.equals(name);
  }

  @Override
  public String toString() {
    return resourceKind + " " + namespace + "/" + resourceName + " " + fieldPath + ": " + reason + ": " + message;
  }
}
