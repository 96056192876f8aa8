package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code INVALID_SYNTAX}. */
public final class InvalidSyntaxException extends IkeProtocolException {
  public InvalidSyntaxException(String message) {
    super(NotifyType.INVALID_SYNTAX, message);
  }
}
