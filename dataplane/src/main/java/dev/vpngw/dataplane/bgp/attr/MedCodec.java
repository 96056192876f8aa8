package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.TreatAsWithdrawException;
import java.nio.ByteBuffer;

/** MULTI_EXIT_DISC, type 4, optional non-transitive. */
public final class MedCodec implements AttributeCodec<Long> {
  public int type() {
    return 4;
  }

  public int flags() {
    return FLAG_OPTIONAL;
  }

  public Long decode(ByteBuffer value, AttributeContext ctx) throws TreatAsWithdrawException {
    if (value.remaining() != 4) {
      throw new TreatAsWithdrawException(BgpError.ATTRIBUTE_LENGTH_ERROR, "MULTI_EXIT_DISC length " + value.remaining() + " != 4");
    }
    return value.getInt() & 0xffffffffL;
  }

  public void encode(Long v, ByteBuffer out, AttributeContext ctx) {
    out.putInt(v.intValue());
  }
}
