package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code TEMPORARY_FAILURE}. */
public final class TemporaryFailureException extends IkeProtocolException {
  public TemporaryFailureException(String message) {
    super(NotifyType.TEMPORARY_FAILURE, message);
  }
}
