package dev.vpngw.dataplane.bgp.wire;

import java.nio.ByteBuffer;

/** KEEPALIVE, type 4: header only. */
public final class KeepaliveCodec {
  public static final BgpMessage.Keepalive INSTANCE = new BgpMessage.Keepalive();

  private KeepaliveCodec() {}

  public static BgpMessage.Keepalive decode(ByteBuffer body) throws BgpProtocolException {
    if (body.hasRemaining()) {
      throw new BgpProtocolException(BgpError.BAD_MESSAGE_LENGTH, "KEEPALIVE with " + body.remaining() + " body bytes",
          lengthData(19 + body.remaining()));
    }
    return INSTANCE;
  }

  static byte[] lengthData(int length) {
    return new byte[] {(byte) (length >>> 8), (byte) length};
  }
}
