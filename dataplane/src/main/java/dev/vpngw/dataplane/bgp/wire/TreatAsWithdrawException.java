package dev.vpngw.dataplane.bgp.wire;

/**
 * RFC 7606: a malformed path attribute whose UPDATE is still parseable. The NLRI it carries are
 * handled as withdrawn and the session stays up.
 */
public final class TreatAsWithdrawException extends Exception {
  private final BgpError error;

  public TreatAsWithdrawException(BgpError error, String message) {
    super(message);
    this.error = error;
  }

  /** What the error would have been under RFC 4271 (for logs and counters). */
  public BgpError error() {
    return error;
  }
}
