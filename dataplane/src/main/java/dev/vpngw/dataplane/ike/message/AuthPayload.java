package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;

/** Authentication payload (RFC 7296 §3.8). Method 2 is the shared-key MIC; 1/14 are signatures. */
public record AuthPayload(int method, byte[] data) implements IkePayload {
  public static final int RSA_SIGNATURE = 1;
  public static final int SHARED_KEY_MIC = 2;
  public static final int DIGITAL_SIGNATURE = 14;

  public AuthPayload {
    data = data.clone();
  }

  @Override
  public int type() {
    return PayloadType.AUTH.value();
  }

  @Override
  public byte[] encodeBody() {
    return new WireWriter().u8(method).u8(0).u16(0).bytes(data).toByteArray();
  }

  static AuthPayload decode(WireReader r) throws InvalidSyntaxException {
    int m = r.u8("AUTH.method");
    r.skip(3, "AUTH.reserved");
    return new AuthPayload(m, r.rest());
  }

  @Override
  public String toString() {
    return "AUTH[method=" + method + " " + data.length + " bytes]";
  }
}
