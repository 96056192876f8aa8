package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.TreatAsWithdrawException;
import java.nio.ByteBuffer;

/** NEXT_HOP, type 3, well-known (IPv4 only; IPv6 next hops travel in MP_REACH). */
public final class NextHopCodec implements AttributeCodec<Integer> {
  public int type() {
    return 3;
  }

  public int flags() {
    return FLAG_TRANSITIVE;
  }

  public Integer decode(ByteBuffer value, AttributeContext ctx) throws TreatAsWithdrawException {
    if (value.remaining() != 4) {
      throw new TreatAsWithdrawException(BgpError.ATTRIBUTE_LENGTH_ERROR, "NEXT_HOP length " + value.remaining() + " != 4");
    }
    int nh = value.getInt();
    int first = nh >>> 24;
    if (nh == 0 || first >= 224 || first == 127) {
      throw new TreatAsWithdrawException(BgpError.INVALID_NEXT_HOP, "NEXT_HOP " + (nh >>> 24) + "." + ((nh >>> 16) & 0xff) + "."
          + ((nh >>> 8) & 0xff) + "." + (nh & 0xff) + " is not a unicast host address");
    }
    return nh;
  }

  public void encode(Integer v, ByteBuffer out, AttributeContext ctx) {
    out.putInt(v);
  }
}
