package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.TreatAsWithdrawException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** COMMUNITIES, type 8, optional transitive (RFC 1997). */
public final class CommunitiesCodec implements AttributeCodec<List<Integer>> {
  public int type() {
    return 8;
  }

  public int flags() {
    return FLAG_OPTIONAL | FLAG_TRANSITIVE;
  }

  public List<Integer> decode(ByteBuffer value, AttributeContext ctx) throws TreatAsWithdrawException {
    if (value.remaining() == 0 || value.remaining() % 4 != 0) {
      throw new TreatAsWithdrawException(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "COMMUNITIES length " + value.remaining() + " not a non-zero multiple of 4");
    }
    List<Integer> out = new ArrayList<>(value.remaining() / 4);
    while (value.hasRemaining()) {
      out.add(value.getInt());
    }
    return out;
  }

  public void encode(List<Integer> v, ByteBuffer out, AttributeContext ctx) {
    for (int c : v) {
      out.putInt(c);
    }
  }
}
