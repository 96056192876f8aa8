package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code NO_ADDITIONAL_SAS}. */
public final class NoAdditionalSasException extends IkeProtocolException {
  public NoAdditionalSasException(String message) {
    super(NotifyType.NO_ADDITIONAL_SAS, message);
  }
}
