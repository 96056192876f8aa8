package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Identification payload IDi/IDr (RFC 7296 §3.5).
 *
 * @param idType 1 IPV4_ADDR, 2 FQDN, 3 RFC822_ADDR, 5 IPV6_ADDR, 9 DER_ASN1_DN, 11 KEY_ID
 */
public record IdPayload(boolean initiator, int idType, byte[] data) implements IkePayload {
  public static final int IPV4_ADDR = 1;
  public static final int FQDN = 2;
  public static final int RFC822_ADDR = 3;
  public static final int IPV6_ADDR = 5;
  public static final int DER_ASN1_DN = 9;
  public static final int KEY_ID = 11;

  public IdPayload {
    data = data.clone();
  }

  public static IdPayload ofAddress(boolean initiator, InetAddress address) {
    return new IdPayload(initiator, address.getAddress().length == 4 ? IPV4_ADDR : IPV6_ADDR, address.getAddress());
  }

  public static IdPayload ofFqdn(boolean initiator, String fqdn) {
    return new IdPayload(initiator, FQDN, fqdn.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public int type() {
    return (initiator ? PayloadType.IDI : PayloadType.IDR).value();
  }

  @Override
  public byte[] encodeBody() {
    return new WireWriter().u8(idType).u8(0).u16(0).bytes(data).toByteArray();
  }

  static IdPayload decode(boolean initiator, WireReader r) throws InvalidSyntaxException {
    int t = r.u8("ID.type");
    r.skip(3, "ID.reserved");
    byte[] d = r.rest();
    if ((t == IPV4_ADDR && d.length != 4) || (t == IPV6_ADDR && d.length != 16)) {
      throw new InvalidSyntaxException("ID: address of type " + t + " has " + d.length + " bytes");
    }
    return new IdPayload(initiator, t, d);
  }

  /** Same identity regardless of IDi/IDr direction. */
  public boolean sameIdentity(IdPayload o) {
    return o.idType == idType && java.util.Arrays.equals(o.data, data);
  }

  /** Human form: address, name, or hex for binary types. */
  public String display() {
    return switch (idType) {
      case IPV4_ADDR, IPV6_ADDR -> {
        try {
          yield InetAddress.getByAddress(data).getHostAddress();
        } catch (UnknownHostException e) {
          yield HexFormat.of().formatHex(data);
        }
      }
      case FQDN, RFC822_ADDR, KEY_ID -> new String(data, StandardCharsets.US_ASCII);
      default -> HexFormat.of().formatHex(data);
    };
  }

  @Override
  public String toString() {
    return (initiator ? "IDi[" : "IDr[") + idType + ":" + display() + "]";
  }
}
