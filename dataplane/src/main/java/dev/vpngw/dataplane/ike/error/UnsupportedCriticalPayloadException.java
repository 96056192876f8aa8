package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code UNSUPPORTED_CRITICAL_PAYLOAD}; the data is the one-byte payload type. */
public final class UnsupportedCriticalPayloadException extends IkeProtocolException {
  private final int payloadType;

  public UnsupportedCriticalPayloadException(int payloadType) {
    super(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, "unsupported critical payload type " + payloadType);
    this.payloadType = payloadType;
  }

  public int payloadType() {
    return payloadType;
  }

  @Override
  public byte[] notifyData() {
    return new byte[] {(byte) payloadType};
  }
}
