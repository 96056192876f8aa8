package dev.vpngw.dataplane.bgp.wire;

import dev.vpngw.dataplane.bgp.attr.AttributeContext;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** The 19-byte header (RFC 4271 §4.1) and dispatch to the per-type codecs. */
public final class BgpMessageCodec {
  public static final int HEADER = 19;
  public static final int MAX_LENGTH = 4096;

  private BgpMessageCodec() {}

  /**
   * Validates a header at the buffer's position and returns the total message length, so a
   * stream reader knows how many bytes to wait for.
   */
  public static int frameLength(ByteBuffer header) throws BgpProtocolException {
    int p = header.position();
    for (int i = 0; i < 16; i++) {
      if (header.get(p + i) != (byte) 0xff) {
        throw new BgpProtocolException(BgpError.CONNECTION_NOT_SYNCHRONIZED, "header marker is not all ones");
      }
    }
    int len = header.getShort(p + 16) & 0xffff;
    if (len < HEADER || len > MAX_LENGTH) {
      throw new BgpProtocolException(BgpError.BAD_MESSAGE_LENGTH, "message length " + len + " outside 19..4096",
          KeepaliveCodec.lengthData(len));
    }
    return len;
  }

  /** Decodes one complete message (header included). */
  public static BgpMessage decode(byte[] frame, AttributeContext ctx) throws BgpProtocolException {
    ByteBuffer b = ByteBuffer.wrap(frame);
    if (frame.length < HEADER) {
      throw new BgpProtocolException(BgpError.BAD_MESSAGE_LENGTH, "message of " + frame.length + " bytes < 19");
    }
    int len = frameLength(b);
    if (len != frame.length) {
      throw new BgpProtocolException(BgpError.BAD_MESSAGE_LENGTH, "length field " + len + " != frame " + frame.length,
          KeepaliveCodec.lengthData(len));
    }
    int type = frame[18] & 0xff;
    ByteBuffer body = b.slice(HEADER, len - HEADER);
    return switch (type) {
      case BgpMessage.TYPE_OPEN -> OpenCodec.decode(body);
      case BgpMessage.TYPE_UPDATE -> UpdateCodec.decode(body, ctx);
      case BgpMessage.TYPE_NOTIFICATION -> NotificationCodec.decode(body);
      case BgpMessage.TYPE_KEEPALIVE -> KeepaliveCodec.decode(body);
      case BgpMessage.TYPE_ROUTE_REFRESH -> RouteRefreshCodec.decode(body);
      default -> throw new BgpProtocolException(BgpError.BAD_MESSAGE_TYPE, "message type " + type + " unknown", new byte[] {(byte) type});
    };
  }

  public static byte[] encode(BgpMessage m, AttributeContext ctx) {
    // UPDATE packing keeps messages within 4096 bytes; the extra room only guards a caller's bug
    // long enough to report it clearly below.
    ByteBuffer out = ByteBuffer.allocate(65535);
    for (int i = 0; i < 16; i++) {
      out.put((byte) 0xff);
    }
    out.putShort((short) 0);
    int type = switch (m) {
      case BgpMessage.Open o -> {
        out.put((byte) BgpMessage.TYPE_OPEN);
        OpenCodec.encode(o, out);
        yield BgpMessage.TYPE_OPEN;
      }
      case BgpMessage.Update u -> {
        out.put((byte) BgpMessage.TYPE_UPDATE);
        UpdateCodec.encode(u, out, ctx);
        yield BgpMessage.TYPE_UPDATE;
      }
      case BgpMessage.Notification n -> {
        out.put((byte) BgpMessage.TYPE_NOTIFICATION);
        NotificationCodec.encode(n, out);
        yield BgpMessage.TYPE_NOTIFICATION;
      }
      case BgpMessage.Keepalive k -> {
        out.put((byte) BgpMessage.TYPE_KEEPALIVE);
        yield BgpMessage.TYPE_KEEPALIVE;
      }
      case BgpMessage.RouteRefresh r -> {
        out.put((byte) BgpMessage.TYPE_ROUTE_REFRESH);
        RouteRefreshCodec.encode(r, out);
        yield BgpMessage.TYPE_ROUTE_REFRESH;
      }
    };
    int len = out.position();
    if (len > MAX_LENGTH) {
      throw new IllegalStateException("encoded message type " + type + " is " + len + " bytes > 4096");
    }
    out.putShort(16, (short) len);
    return Arrays.copyOf(out.array(), len);
  }
}
