package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;

/** Key Exchange payload (RFC 7296 §3.4). Public values are not secret; toString still abbreviates. */
public record KePayload(int dhGroup, byte[] data) implements IkePayload {
  public KePayload {
    data = data.clone();
  }

  @Override
  public int type() {
    return PayloadType.KE.value();
  }

  @Override
  public byte[] encodeBody() {
    return new WireWriter().u16(dhGroup).u16(0).bytes(data).toByteArray();
  }

  static KePayload decode(WireReader r) throws InvalidSyntaxException {
    int group = r.u16("KE.dhGroup");
    r.u16("KE.reserved");
    return new KePayload(group, r.rest());
  }

  @Override
  public String toString() {
    return "KE[group=" + dhGroup + " " + data.length + " bytes]";
  }
}
