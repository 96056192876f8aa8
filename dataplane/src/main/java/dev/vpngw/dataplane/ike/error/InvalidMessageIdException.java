package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code INVALID_MESSAGE_ID}. */
public final class InvalidMessageIdException extends IkeProtocolException {
  public InvalidMessageIdException(String message) {
    super(NotifyType.INVALID_MESSAGE_ID, message);
  }
}
