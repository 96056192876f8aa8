package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.TreatAsWithdrawException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * AS_PATH, type 2 (and AS4_PATH, type 17, which is always 4-octet). With 2-octet peers ASNs above
 * 65535 are sent as AS_TRANS (RFC 6793 §4.2.2).
 */
public final class AsPathCodec implements AttributeCodec<AsPath> {
  public static final long AS_TRANS = 23456;
  private final boolean as4Path;

  public AsPathCodec() {
    this(false);
  }

  private AsPathCodec(boolean as4Path) {
    this.as4Path = as4Path;
  }

  public static AsPathCodec as4Path() {
    return new AsPathCodec(true);
  }

  public int type() {
    return as4Path ? 17 : 2;
  }

  public int flags() {
    return as4Path ? FLAG_OPTIONAL | FLAG_TRANSITIVE : FLAG_TRANSITIVE;
  }

  private boolean wide(AttributeContext ctx) {
    return as4Path || ctx.fourOctetAs();
  }

  public AsPath decode(ByteBuffer value, AttributeContext ctx) throws TreatAsWithdrawException {
    int asSize = wide(ctx) ? 4 : 2;
    List<AsPath.Segment> segs = new ArrayList<>();
    String name = as4Path ? "AS4_PATH" : "AS_PATH";
    while (value.hasRemaining()) {
      if (value.remaining() < 2) {
        throw new TreatAsWithdrawException(BgpError.MALFORMED_AS_PATH, name + ": truncated segment header");
      }
      int type = value.get() & 0xff;
      int count = value.get() & 0xff;
      AsPath.SegmentType st = switch (type) {
        case 1 -> AsPath.SegmentType.AS_SET;
        case 2 -> AsPath.SegmentType.AS_SEQUENCE;
        default -> throw new TreatAsWithdrawException(BgpError.MALFORMED_AS_PATH, name + ": segment type " + type + " undefined");
      };
      if (count == 0) {
        throw new TreatAsWithdrawException(BgpError.MALFORMED_AS_PATH, name + ": empty segment");
      }
      if (value.remaining() < count * asSize) {
        throw new TreatAsWithdrawException(BgpError.MALFORMED_AS_PATH, name + ": segment of " + count + " ASNs overruns the attribute");
      }
      List<Long> asns = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        asns.add(asSize == 4 ? value.getInt() & 0xffffffffL : value.getShort() & 0xffffL);
      }
      segs.add(new AsPath.Segment(st, asns));
    }
    return new AsPath(segs);
  }

  public void encode(AsPath v, ByteBuffer out, AttributeContext ctx) {
    boolean wide = wide(ctx);
    for (AsPath.Segment s : v.segments()) {
      out.put((byte) s.type().code());
      out.put((byte) s.asns().size());
      for (long asn : s.asns()) {
        if (wide) {
          out.putInt((int) asn);
        } else {
          out.putShort((short) (asn > 0xffff ? AS_TRANS : asn));
        }
      }
    }
  }

  /** True when a 2-octet encoding loses information, so an AS4_PATH must go with it. */
  public static boolean needsAs4Path(AsPath p) {
    return p.segments().stream().anyMatch(s -> s.asns().stream().anyMatch(a -> a > 0xffff));
  }
}
