package dev.vpngw.dataplane.ike;

import dev.vpngw.dataplane.ike.message.IdPayload;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** An IKE identity (RFC 7296 §3.5): an address, FQDN, e-mail or key ID. */
public record IkeIdentity(int type, byte[] value) {
  public IkeIdentity {
    value = value.clone();
  }

  public static IkeIdentity address(InetAddress a) {
    return new IkeIdentity(a.getAddress().length == 4 ? IdPayload.IPV4_ADDR : IdPayload.IPV6_ADDR, a.getAddress());
  }

  public static IkeIdentity fqdn(String name) {
    return new IkeIdentity(IdPayload.FQDN, name.getBytes(StandardCharsets.US_ASCII));
  }

  public static IkeIdentity keyId(String id) {
    return new IkeIdentity(IdPayload.KEY_ID, id.getBytes(StandardCharsets.US_ASCII));
  }

  public IdPayload toPayload(boolean initiator) {
    return new IdPayload(initiator, type, value);
  }

  public boolean matches(IdPayload p) {
    return p.idType() == type && java.util.Arrays.equals(p.data(), value);
  }

  @Override
  public String toString() {
    return toPayload(true).display();
  }
}
