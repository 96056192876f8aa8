package dev.vpngw.dataplane.bgp.wire;

import java.nio.ByteBuffer;

/** ROUTE-REFRESH, type 5 (RFC 2918 §3). */
public final class RouteRefreshCodec {
  private RouteRefreshCodec() {}

  public static BgpMessage.RouteRefresh decode(ByteBuffer body) throws BgpProtocolException {
    if (body.remaining() != 4) {
      throw new BgpProtocolException(BgpError.ROUTE_REFRESH_INVALID_LENGTH, "ROUTE-REFRESH body of " + body.remaining() + " bytes != 4");
    }
    int afi = body.getShort() & 0xffff;
    body.get(); // reserved (RFC 7313 subtype; 0 = normal request)
    return new BgpMessage.RouteRefresh(new AddressFamily(afi, body.get() & 0xff));
  }

  public static void encode(BgpMessage.RouteRefresh r, ByteBuffer out) {
    out.putShort((short) r.family().afi()).put((byte) 0).put((byte) r.family().safi());
  }
}
