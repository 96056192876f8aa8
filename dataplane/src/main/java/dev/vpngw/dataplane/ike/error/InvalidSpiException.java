package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code INVALID_SPI}. */
public final class InvalidSpiException extends IkeProtocolException {
  public InvalidSpiException(String message) {
    super(NotifyType.INVALID_SPI, message);
  }
}
