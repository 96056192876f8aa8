package dev.vpngw.dataplane.ike.message;

/**
 * Encrypted and Authenticated payload (RFC 7296 §3.14) as it sits on the wire: IV, ciphertext and
 * ICV. {@code firstInnerPayload} is the generic header's next-payload field (the type of the first
 * protected payload). {@link IkeMessage} seals and opens it.
 */
public record SkPayload(int firstInnerPayload, byte[] protectedBody) implements IkePayload {
  public SkPayload {
    protectedBody = protectedBody.clone();
  }

  @Override
  public int type() {
    return PayloadType.SK.value();
  }

  @Override
  public byte[] encodeBody() {
    return protectedBody.clone();
  }

  @Override
  public String toString() {
    return "SK[" + protectedBody.length + " bytes]";
  }
}
