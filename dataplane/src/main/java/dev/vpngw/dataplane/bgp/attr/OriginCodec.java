package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.TreatAsWithdrawException;
import java.nio.ByteBuffer;

/** ORIGIN, type 1, well-known mandatory. */
public final class OriginCodec implements AttributeCodec<Origin> {
  public int type() {
    return 1;
  }

  public int flags() {
    return FLAG_TRANSITIVE;
  }

  public Origin decode(ByteBuffer value, AttributeContext ctx) throws TreatAsWithdrawException {
    if (value.remaining() != 1) {
      throw new TreatAsWithdrawException(BgpError.ATTRIBUTE_LENGTH_ERROR, "ORIGIN length " + value.remaining() + " != 1");
    }
    int v = value.get() & 0xff;
    if (v > 2) {
      throw new TreatAsWithdrawException(BgpError.INVALID_ORIGIN, "ORIGIN value " + v + " undefined");
    }
    return Origin.values()[v];
  }

  public void encode(Origin v, ByteBuffer out, AttributeContext ctx) {
    out.put((byte) v.code());
  }
}
