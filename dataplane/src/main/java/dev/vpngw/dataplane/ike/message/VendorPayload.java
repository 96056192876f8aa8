package dev.vpngw.dataplane.ike.message;

import java.util.HexFormat;

/** Vendor ID payload (RFC 7296 §3.12): opaque, ignored. */
public record VendorPayload(byte[] vendorId) implements IkePayload {
  public VendorPayload {
    vendorId = vendorId.clone();
  }

  @Override
  public int type() {
    return PayloadType.VENDOR.value();
  }

  @Override
  public byte[] encodeBody() {
    return vendorId.clone();
  }

  static VendorPayload decode(WireReader r) {
    return new VendorPayload(r.rest());
  }

  @Override
  public String toString() {
    return "V[" + HexFormat.of().formatHex(vendorId) + "]";
  }
}
