package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code CHILD_SA_NOT_FOUND}. */
public final class ChildSaNotFoundException extends IkeProtocolException {
  public ChildSaNotFoundException(String message) {
    super(NotifyType.CHILD_SA_NOT_FOUND, message);
  }
}
