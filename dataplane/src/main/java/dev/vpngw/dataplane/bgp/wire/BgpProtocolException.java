package dev.vpngw.dataplane.bgp.wire;

/**
 * A received message that forces a session reset: the session answers with a NOTIFICATION built
 * from {@link #error()} and {@link #data()}.
 */
public final class BgpProtocolException extends Exception {
  private final BgpError error;
  private final byte[] data;

  public BgpProtocolException(BgpError error, String message) {
    this(error, message, new byte[0]);
  }

  public BgpProtocolException(BgpError error, String message, byte[] data) {
    super(message + " [" + error.describe() + "]");
    this.error = error;
    this.data = data.clone();
  }

  public BgpError error() {
    return error;
  }

  public byte[] data() {
    return data.clone();
  }
}
