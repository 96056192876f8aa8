package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code TS_UNACCEPTABLE}. */
public final class TsUnacceptableException extends IkeProtocolException {
  public TsUnacceptableException(String message) {
    super(NotifyType.TS_UNACCEPTABLE, message);
  }
}
