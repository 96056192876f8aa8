package dev.vpngw.crds.v1alpha1;

/**
 * Regular expressions used as OpenAPI {@code pattern}s in the CRDs. They must stay within RE2
 * (the API server's regex engine): no look-around, no back-references.
 */
public final class Patterns {
  private Patterns() {}

  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

  /** A dotted-quad IPv4 address. */
  public static final String IPV4 = "^(" + OCTET + "\\.){3}" + OCTET + "$";

  /** An IPv4 prefix in CIDR notation, e.g. 198.18.0.0/16. */
  public static final String IPV4_CIDR = "^(" + OCTET + "\\.){3}" + OCTET + "/(3[0-2]|[12]?[0-9])$";

  /** An Azure custom (APIPA) BGP address: 169.254.21.0 – 169.254.22.255. */
  public static final String APIPA_BGP = "^169\\.254\\.2[12]\\." + OCTET + "$";

  /** A DNS name (RFC 1123 labels, optional trailing dot); length is limited separately. */
  public static final String FQDN =
      "^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\\.?$";

  /** A Kubernetes object name (RFC 1123 DNS subdomain); length is limited separately. */
  public static final String OBJECT_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A key in a Secret's data. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** An availability-zone name as Kubernetes nodes label it (topology.kubernetes.io/zone). */
  public static final String ZONE = "^[A-Za-z0-9]([-._A-Za-z0-9]*[A-Za-z0-9])?$";
}
