package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import java.util.HexFormat;

/** Notify payload (RFC 7296 §3.10). */
public record NotifyPayload(int protocolId, byte[] spi, int notifyType, byte[] data) implements IkePayload {
  public NotifyPayload {
    spi = spi.clone();
    data = data.clone();
  }

  public static NotifyPayload of(NotifyType type) {
    return new NotifyPayload(0, new byte[0], type.value(), new byte[0]);
  }

  public static NotifyPayload of(NotifyType type, byte[] data) {
    return new NotifyPayload(0, new byte[0], type.value(), data);
  }

  public static NotifyPayload error(int type, byte[] data) {
    return new NotifyPayload(0, new byte[0], type, data);
  }

  public boolean isError() {
    return notifyType < NotifyType.FIRST_STATUS;
  }

  public boolean is(NotifyType t) {
    return notifyType == t.value();
  }

  public int spiAsInt() {
    return spi.length == 4 ? ((spi[0] & 0xff) << 24) | ((spi[1] & 0xff) << 16) | ((spi[2] & 0xff) << 8) | (spi[3] & 0xff) : 0;
  }

  @Override
  public int type() {
    return PayloadType.NOTIFY.value();
  }

  @Override
  public byte[] encodeBody() {
    return new WireWriter().u8(protocolId).u8(spi.length).u16(notifyType).bytes(spi).bytes(data).toByteArray();
  }

  static NotifyPayload decode(WireReader r) throws InvalidSyntaxException {
    int proto = r.u8("N.protocolId");
    int spiSize = r.u8("N.spiSize");
    int type = r.u16("N.type");
    byte[] spi = r.bytes(spiSize, "N.spi");
    return new NotifyPayload(proto, spi, type, r.rest());
  }

  @Override
  public String toString() {
    return "N(" + NotifyType.nameOf(notifyType) + (spi.length > 0 ? " spi=" + HexFormat.of().formatHex(spi) : "")
        + (data.length > 0 ? " " + data.length + "B" : "") + ")";
  }
}
