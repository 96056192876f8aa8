package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;

/** Nonce payload (RFC 7296 §3.9): 16 to 256 bytes. */
public record NoncePayload(byte[] nonce) implements IkePayload {
  public NoncePayload {
    nonce = nonce.clone();
  }

  @Override
  public int type() {
    return PayloadType.NONCE.value();
  }

  @Override
  public byte[] encodeBody() {
    return nonce.clone();
  }

  static NoncePayload decode(WireReader r) throws InvalidSyntaxException {
    byte[] n = r.rest();
    if (n.length < 16 || n.length > 256) {
      throw new InvalidSyntaxException("Nonce: length " + n.length + " outside 16..256");
    }
    return new NoncePayload(n);
  }

  @Override
  public String toString() {
    return "Nonce[" + nonce.length + " bytes]";
  }
}
