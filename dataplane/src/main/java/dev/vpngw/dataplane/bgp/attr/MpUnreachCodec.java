package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.AddressFamily;
import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.BgpProtocolException;
import dev.vpngw.dataplane.bgp.wire.NlriCodec;
import dev.vpngw.dataplane.routing.IpPrefix;
import java.nio.ByteBuffer;
import java.util.List;

/** MP_UNREACH_NLRI, type 15, optional non-transitive; malformed resets the session like MP_REACH. */
public final class MpUnreachCodec implements AttributeCodec<MpUnreach> {
  public int type() {
    return 15;
  }

  public int flags() {
    return FLAG_OPTIONAL;
  }

  public MpUnreach decode(ByteBuffer value, AttributeContext ctx) throws BgpProtocolException {
    if (value.remaining() < 3) {
      throw new BgpProtocolException(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "MP_UNREACH_NLRI shorter than 3 bytes");
    }
    AddressFamily af = new AddressFamily(value.getShort() & 0xffff, value.get() & 0xff);
    int end = value.limit();
    List<IpPrefix> w;
    if (af.afi() == AddressFamily.AFI_IPV4) {
      w = List.copyOf(NlriCodec.decodeIpv4(value, end, "MP_UNREACH_NLRI"));
    } else if (af.afi() == AddressFamily.AFI_IPV6) {
      w = NlriCodec.decodeIpv6(value, end, "MP_UNREACH_NLRI");
    } else {
      value.position(end);
      w = List.of();
    }
    return new MpUnreach(af, w);
  }

  public void encode(MpUnreach v, ByteBuffer out, AttributeContext ctx) {
    out.putShort((short) v.family().afi());
    out.put((byte) v.family().safi());
    for (IpPrefix p : v.withdrawn()) {
      NlriCodec.encode(p, out);
    }
  }
}
