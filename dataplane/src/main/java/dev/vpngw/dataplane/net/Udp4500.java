package dev.vpngw.dataplane.net;

/**
 * Demultiplexing of datagrams on UDP port 4500 (RFC 3948 §2.2 and §2.3): a 4-byte zero
 * "non-ESP marker" means IKE; a single 0xFF byte is a NAT-keepalive; anything else starts with a
 * non-zero SPI and is ESP.
 */
public final class Udp4500 {
  public static final int PORT = 4500;
  public static final int ESP = 0;
  public static final int IKE = 1;
  public static final int KEEPALIVE = 2;
  public static final int INVALID = 3;

  private Udp4500() {}

  public static int classify(byte[] b, int off, int len) {
    if (len == 1) {
      return (b[off] & 0xFF) == 0xFF ? KEEPALIVE : INVALID;
    }
    if (len < 4) {
      return INVALID;
    }
    if (b[off] == 0 && b[off + 1] == 0 && b[off + 2] == 0 && b[off + 3] == 0) {
      return len > 4 ? IKE : INVALID;
    }
    return ESP;
  }
}
