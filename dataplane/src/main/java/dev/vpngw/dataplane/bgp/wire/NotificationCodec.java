package dev.vpngw.dataplane.bgp.wire;

import java.nio.ByteBuffer;

/** NOTIFICATION, type 3 (RFC 4271 §4.5). */
public final class NotificationCodec {
  private NotificationCodec() {}

  public static BgpMessage.Notification decode(ByteBuffer body) throws BgpProtocolException {
    if (body.remaining() < 2) {
      throw new BgpProtocolException(BgpError.BAD_MESSAGE_LENGTH, "NOTIFICATION body of " + body.remaining() + " bytes < 2");
    }
    int code = body.get() & 0xff;
    int sub = body.get() & 0xff;
    byte[] data = new byte[body.remaining()];
    body.get(data);
    return new BgpMessage.Notification(BgpError.of(code, sub), code, sub, data);
  }

  public static void encode(BgpMessage.Notification n, ByteBuffer out) {
    out.put((byte) n.code()).put((byte) n.subcode()).put(n.data());
  }
}
