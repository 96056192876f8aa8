package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code INTERNAL_ADDRESS_FAILURE}. */
public final class InternalAddressFailureException extends IkeProtocolException {
  public InternalAddressFailureException(String message) {
    super(NotifyType.INTERNAL_ADDRESS_FAILURE, message);
  }
}
