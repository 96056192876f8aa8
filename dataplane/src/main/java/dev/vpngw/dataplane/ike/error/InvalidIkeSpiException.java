package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code INVALID_IKE_SPI}. */
public final class InvalidIkeSpiException extends IkeProtocolException {
  public InvalidIkeSpiException(String message) {
    super(NotifyType.INVALID_IKE_SPI, message);
  }
}
