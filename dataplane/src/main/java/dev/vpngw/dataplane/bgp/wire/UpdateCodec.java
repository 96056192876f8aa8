package dev.vpngw.dataplane.bgp.wire;

import dev.vpngw.dataplane.bgp.attr.AttributeContext;
import dev.vpngw.dataplane.bgp.attr.PathAttributes;
import dev.vpngw.dataplane.bgp.attr.PathAttributesCodec;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/** UPDATE, type 2 (RFC 4271 §4.3), with the RFC 7606 missing-attribute rules. */
public final class UpdateCodec {
  private UpdateCodec() {}

  public static BgpMessage.Update decode(ByteBuffer body, AttributeContext ctx) throws BgpProtocolException {
    if (body.remaining() < 4) {
      throw new BgpProtocolException(BgpError.MALFORMED_ATTRIBUTE_LIST, "UPDATE body of " + body.remaining() + " bytes < 4");
    }
    int wLen = body.getShort() & 0xffff;
    if (wLen > body.remaining() - 2) {
      throw new BgpProtocolException(BgpError.MALFORMED_ATTRIBUTE_LIST, "UPDATE withdrawn routes length " + wLen + " overruns the message");
    }
    List<Ipv4Prefix> withdrawn = NlriCodec.decodeIpv4(body, body.position() + wLen, "withdrawn routes");
    int aLen = body.getShort() & 0xffff;
    if (aLen > body.remaining()) {
      throw new BgpProtocolException(BgpError.MALFORMED_ATTRIBUTE_LIST, "UPDATE path attribute length " + aLen + " overruns the message");
    }
    int attrEnd = body.position() + aLen;
    PathAttributesCodec.Result r = PathAttributesCodec.decode(body, attrEnd, ctx);
    body.position(attrEnd);
    List<Ipv4Prefix> nlri = NlriCodec.decodeIpv4(body, body.limit(), "NLRI");
    PathAttributes a = r.attributes();
    String error = r.error() == null ? null : r.error().getMessage();
    boolean reach = !nlri.isEmpty() || (a.mpReach() != null && !a.mpReach().nlri().isEmpty());
    if (error == null && reach) {
      if (a.origin() == null) {
        error = "missing well-known attribute ORIGIN";
      } else if (a.asPath() == null) {
        error = "missing well-known attribute AS_PATH";
      } else if (!nlri.isEmpty() && a.nextHop() == null) {
        error = "missing well-known attribute NEXT_HOP";
      }
    }
    return new BgpMessage.Update(withdrawn, a, nlri, Optional.ofNullable(error));
  }

  public static void encode(BgpMessage.Update u, ByteBuffer out, AttributeContext ctx) {
    int wPos = out.position();
    out.putShort((short) 0);
    for (Ipv4Prefix p : u.withdrawn()) {
      NlriCodec.encode(p, out);
    }
    out.putShort(wPos, (short) (out.position() - wPos - 2));
    int aPos = out.position();
    out.putShort((short) 0);
    PathAttributesCodec.encode(u.attributes(), out, ctx);
    out.putShort(aPos, (short) (out.position() - aPos - 2));
    for (Ipv4Prefix p : u.nlri()) {
      NlriCodec.encode(p, out);
    }
  }
}
