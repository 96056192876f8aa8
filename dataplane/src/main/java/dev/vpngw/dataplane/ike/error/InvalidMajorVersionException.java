package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code INVALID_MAJOR_VERSION}. */
public final class InvalidMajorVersionException extends IkeProtocolException {
  public InvalidMajorVersionException(String message) {
    super(NotifyType.INVALID_MAJOR_VERSION, message);
  }
}
