package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code INVALID_SELECTORS}. */
public final class InvalidSelectorsException extends IkeProtocolException {
  public InvalidSelectorsException(String message) {
    super(NotifyType.INVALID_SELECTORS, message);
  }
}
