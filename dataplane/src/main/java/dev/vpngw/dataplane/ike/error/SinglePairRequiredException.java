package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code SINGLE_PAIR_REQUIRED}. */
public final class SinglePairRequiredException extends IkeProtocolException {
  public SinglePairRequiredException(String message) {
    super(NotifyType.SINGLE_PAIR_REQUIRED, message);
  }
}
