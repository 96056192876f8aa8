package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.AddressFamily;
import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.BgpProtocolException;
import dev.vpngw.dataplane.bgp.wire.NlriCodec;
import dev.vpngw.dataplane.routing.IpPrefix;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * MP_REACH_NLRI, type 14, optional non-transitive. A malformed one resets the session: without
 * it the NLRI cannot be located, so treat-as-withdraw is impossible (RFC 7606 §7.11).
 */
public final class MpReachCodec implements AttributeCodec<MpReach> {
  public int type() {
    return 14;
  }

  public int flags() {
    return FLAG_OPTIONAL;
  }

  public MpReach decode(ByteBuffer value, AttributeContext ctx) throws BgpProtocolException {
    if (value.remaining() < 5) {
      throw new BgpProtocolException(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "MP_REACH_NLRI shorter than 5 bytes");
    }
    AddressFamily af = new AddressFamily(value.getShort() & 0xffff, value.get() & 0xff);
    int nhLen = value.get() & 0xff;
    if (value.remaining() < nhLen + 1) {
      throw new BgpProtocolException(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "MP_REACH_NLRI next hop length " + nhLen + " overruns");
    }
    byte[] nh = new byte[nhLen];
    value.get(nh);
    value.get(); // reserved
    List<IpPrefix> nlri;
    int end = value.limit();
    if (af.afi() == AddressFamily.AFI_IPV4) {
      nlri = List.copyOf(NlriCodec.decodeIpv4(value, end, "MP_REACH_NLRI"));
    } else if (af.afi() == AddressFamily.AFI_IPV6) {
      nlri = NlriCodec.decodeIpv6(value, end, "MP_REACH_NLRI");
    } else {
      value.position(end);
      nlri = List.of();
    }
    return new MpReach(af, nh, nlri);
  }

  public void encode(MpReach v, ByteBuffer out, AttributeContext ctx) {
    out.putShort((short) v.family().afi());
    out.put((byte) v.family().safi());
    out.put((byte) v.nextHop().length);
    out.put(v.nextHop());
    out.put((byte) 0);
    for (IpPrefix p : v.nlri()) {
      NlriCodec.encode(p, out);
    }
  }
}
