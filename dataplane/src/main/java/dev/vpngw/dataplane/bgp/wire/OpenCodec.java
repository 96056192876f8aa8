package dev.vpngw.dataplane.bgp.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** OPEN, type 1 (RFC 4271 §4.2); capabilities go in one optional parameter of type 2. */
public final class OpenCodec {
  private static final int PARAM_CAPABILITIES = 2;

  private OpenCodec() {}

  public static BgpMessage.Open decode(ByteBuffer body) throws BgpProtocolException {
    if (body.remaining() < 10) {
      throw new BgpProtocolException(BgpError.BAD_MESSAGE_LENGTH, "OPEN body of " + body.remaining() + " bytes < 10");
    }
    int version = body.get() & 0xff;
    if (version != 4) {
      throw new BgpProtocolException(BgpError.UNSUPPORTED_VERSION, "OPEN version " + version + " (only 4)", new byte[] {0, 4});
    }
    int myAs = body.getShort() & 0xffff;
    int hold = body.getShort() & 0xffff;
    if (hold == 1 || hold == 2) {
      throw new BgpProtocolException(BgpError.UNACCEPTABLE_HOLD_TIME, "OPEN hold time " + hold + " (must be 0 or >= 3)");
    }
    int id = body.getInt();
    int optLen = body.get() & 0xff;
    if (body.remaining() != optLen) {
      throw new BgpProtocolException(BgpError.BAD_MESSAGE_LENGTH, "OPEN optional parameters length " + optLen + " != " + body.remaining());
    }
    List<Capability> caps = new ArrayList<>();
    int end = body.position() + optLen;
    while (body.position() < end) {
      if (end - body.position() < 2) {
        throw new BgpProtocolException(BgpError.UNSUPPORTED_OPTIONAL_PARAMETER, "OPEN: truncated optional parameter");
      }
      int type = body.get() & 0xff;
      int len = body.get() & 0xff;
      if (body.position() + len > end) {
        throw new BgpProtocolException(BgpError.UNSUPPORTED_OPTIONAL_PARAMETER, "OPEN: optional parameter length " + len + " overruns");
      }
      if (type != PARAM_CAPABILITIES) {
        throw new BgpProtocolException(BgpError.UNSUPPORTED_OPTIONAL_PARAMETER, "OPEN: optional parameter type " + type + " unsupported");
      }
      caps.addAll(CapabilityCodec.decode(body, body.position() + len));
    }
    return new BgpMessage.Open(version, myAs, hold, id, caps);
  }

  public static void encode(BgpMessage.Open open, ByteBuffer out) {
    out.put((byte) open.version()).putShort((short) open.myAs()).putShort((short) open.holdTime()).putInt(open.bgpIdentifier());
    int optLenPos = out.position();
    out.put((byte) 0);
    if (!open.capabilities().isEmpty()) {
      out.put((byte) PARAM_CAPABILITIES);
      int lenPos = out.position();
      out.put((byte) 0);
      for (Capability c : open.capabilities()) {
        CapabilityCodec.encode(c, out);
      }
      out.put(lenPos, (byte) (out.position() - lenPos - 1));
    }
    out.put(optLenPos, (byte) (out.position() - optLenPos - 1));
  }
}
