package dev.vpngw.dataplane.ike.error;

/** An error notify whose number this implementation does not name. */
public final class UnrecognizedNotifyErrorException extends IkeProtocolException {
  public UnrecognizedNotifyErrorException(int type, String message) {
    super(type, message);
  }
}
