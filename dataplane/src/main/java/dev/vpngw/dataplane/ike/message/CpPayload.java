package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration payload (RFC 7296 §3.15). Site-to-site gateways do not hand out addresses; it is
 * decoded so a peer's CFG_REQUEST can be recognised and ignored.
 */
public record CpPayload(int cfgType, List<Attribute> attributes) implements IkePayload {
  public static final int CFG_REQUEST = 1;
  public static final int CFG_REPLY = 2;

  public CpPayload {
    attributes = List.copyOf(attributes);
  }

  public record Attribute(int type, byte[] value) {
    public Attribute {
      value = value.clone();
    }
  }

  @Override
  public int type() {
    return PayloadType.CP.value();
  }

  @Override
  public byte[] encodeBody() {
    WireWriter w = new WireWriter().u8(cfgType).u8(0).u16(0);
    for (Attribute a : attributes) {
      w.u16(a.type() & 0x7fff).u16(a.value().length).bytes(a.value());
    }
    return w.toByteArray();
  }

  static CpPayload decode(WireReader r) throws InvalidSyntaxException {
    int t = r.u8("CP.type");
    r.skip(3, "CP.reserved");
    List<Attribute> attrs = new ArrayList<>();
    while (r.remaining() > 0) {
      int at = r.u16("CP.attribute.type") & 0x7fff;
      int len = r.u16("CP.attribute.length");
      attrs.add(new Attribute(at, r.bytes(len, "CP.attribute.value")));
    }
    return new CpPayload(t, attrs);
  }
}
