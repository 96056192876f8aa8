package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;

/**
 * One transform substructure (RFC 7296 §3.3.2). Only the Key Length attribute (type 14) is defined
 * for IKEv2; a transform carrying any other attribute must be ignored by the selector, which the
 * flag {@code unknownAttribute} records.
 *
 * @param type      1 ENCR, 2 PRF, 3 INTEG, 4 DH/KE, 5 ESN
 * @param keyLength key length in bits, 0 when absent
 */
public record Transform(int type, int id, int keyLength, boolean unknownAttribute) {
  public static final int ENCR = 1;
  public static final int PRF = 2;
  public static final int INTEG = 3;
  public static final int DH = 4;
  public static final int ESN = 5;
  static final int ATTR_KEY_LENGTH = 14;

  public static Transform of(int type, int id) {
    return new Transform(type, id, 0, false);
  }

  public static Transform of(int type, int id, int keyLength) {
    return new Transform(type, id, keyLength, false);
  }

  void encode(WireWriter w, boolean last) {
    int len = 8 + (keyLength > 0 ? 4 : 0);
    w.u8(last ? 0 : 3).u8(0).u16(len).u8(type).u8(0).u16(id);
    if (keyLength > 0) {
      w.u16(0x8000 | ATTR_KEY_LENGTH).u16(keyLength);
    }
  }

  static Transform decode(WireReader r, boolean[] lastOut) throws InvalidSyntaxException {
    int more = r.u8("transform.last");
    if (more != 0 && more != 3) {
      throw new InvalidSyntaxException("transform.last: " + more + " is neither 0 nor 3");
    }
    lastOut[0] = more == 0;
    r.u8("transform.reserved");
    int len = r.u16("transform.length");
    if (len < 8) {
      throw new InvalidSyntaxException("transform.length: " + len + " < 8");
    }
    WireReader t = r.slice(len - 4, "transform body");
    int type = t.u8("transform.type");
    t.u8("transform.reserved2");
    int id = t.u16("transform.id");
    int keyLength = 0;
    boolean unknown = false;
    while (t.remaining() > 0) {
      int at = t.u16("attribute.type");
      boolean tv = (at & 0x8000) != 0;
      int atype = at & 0x7fff;
      int val = t.u16("attribute.value");
      if (!tv) {
        t.skip(val, "attribute.value (TLV)");
        unknown = true;
      } else if (atype == ATTR_KEY_LENGTH) {
        keyLength = val;
      } else {
        unknown = true;
      }
    }
    return new Transform(type, id, keyLength, unknown);
  }
}
