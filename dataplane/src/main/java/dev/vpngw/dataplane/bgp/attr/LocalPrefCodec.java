package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.TreatAsWithdrawException;
import java.nio.ByteBuffer;

/** LOCAL_PREF, type 5, well-known; only meaningful inside an AS. */
public final class LocalPrefCodec implements AttributeCodec<Long> {
  public int type() {
    return 5;
  }

  public int flags() {
    return FLAG_TRANSITIVE;
  }

  public Long decode(ByteBuffer value, AttributeContext ctx) throws TreatAsWithdrawException {
    if (value.remaining() != 4) {
      throw new TreatAsWithdrawException(BgpError.ATTRIBUTE_LENGTH_ERROR, "LOCAL_PREF length " + value.remaining() + " != 4");
    }
    return value.getInt() & 0xffffffffL;
  }

  public void encode(Long v, ByteBuffer out, AttributeContext ctx) {
    out.putInt(v.intValue());
  }
}
