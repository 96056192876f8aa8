package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code AUTHENTICATION_FAILED}. */
public final class AuthenticationFailedException extends IkeProtocolException {
  public AuthenticationFailedException(String message) {
    super(NotifyType.AUTHENTICATION_FAILED, message);
  }
}
