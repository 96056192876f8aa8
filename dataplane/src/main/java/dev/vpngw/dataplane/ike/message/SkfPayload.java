package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;

/**
 * Encrypted Fragment payload (RFC 7383 §2.5). {@code firstInnerPayload} is only meaningful in
 * fragment 1 (0 in the others).
 */
public record SkfPayload(int firstInnerPayload, int fragmentNumber, int totalFragments, byte[] protectedBody)
    implements IkePayload {
  public SkfPayload {
    protectedBody = protectedBody.clone();
  }

  @Override
  public int type() {
    return PayloadType.SKF.value();
  }

  @Override
  public byte[] encodeBody() {
    return new WireWriter().u16(fragmentNumber).u16(totalFragments).bytes(protectedBody).toByteArray();
  }

  static SkfPayload decode(int firstInner, WireReader r) throws InvalidSyntaxException {
    int num = r.u16("SKF.fragmentNumber");
    int total = r.u16("SKF.totalFragments");
    if (num == 0 || total == 0 || num > total) {
      throw new InvalidSyntaxException("SKF: fragment " + num + " of " + total);
    }
    return new SkfPayload(num == 1 ? firstInner : 0, num, total, r.rest());
  }

  @Override
  public String toString() {
    return "SKF[" + fragmentNumber + "/" + totalFragments + " " + protectedBody.length + " bytes]";
  }
}
