package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code INVALID_KE_PAYLOAD}; the data is the 2-byte DH group the responder wants. */
public final class InvalidKePayloadException extends IkeProtocolException {
  private final int acceptedGroup;

  public InvalidKePayloadException(int acceptedGroup) {
    super(NotifyType.INVALID_KE_PAYLOAD, "KE payload must use DH group " + acceptedGroup);
    this.acceptedGroup = acceptedGroup;
  }

  public int acceptedGroup() {
    return acceptedGroup;
  }

  @Override
  public byte[] notifyData() {
    return new byte[] {(byte) (acceptedGroup >> 8), (byte) acceptedGroup};
  }
}
