package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code FAILED_CP_REQUIRED}. */
public final class FailedCpRequiredException extends IkeProtocolException {
  public FailedCpRequiredException(String message) {
    super(NotifyType.FAILED_CP_REQUIRED, message);
  }
}
