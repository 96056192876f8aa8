package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Delete payload (RFC 7296 §3.11): IKE (no SPIs) or ESP/AH with 4-byte SPIs. */
public record DeletePayload(int protocolId, List<Integer> spis) implements IkePayload {
  public DeletePayload {
    spis = List.copyOf(spis);
  }

  public static DeletePayload ike() {
    return new DeletePayload(Proposal.PROTO_IKE, List.of());
  }

  public static DeletePayload esp(List<Integer> spis) {
    return new DeletePayload(Proposal.PROTO_ESP, spis);
  }

  @Override
  public int type() {
    return PayloadType.DELETE.value();
  }

  @Override
  public byte[] encodeBody() {
    WireWriter w = new WireWriter().u8(protocolId).u8(protocolId == Proposal.PROTO_IKE ? 0 : 4).u16(spis.size());
    spis.forEach(w::u32);
    return w.toByteArray();
  }

  static DeletePayload decode(WireReader r) throws InvalidSyntaxException {
    int proto = r.u8("D.protocolId");
    int spiSize = r.u8("D.spiSize");
    int n = r.u16("D.numSpis");
    if (proto == Proposal.PROTO_IKE) {
      if (spiSize != 0 || n != 0) {
        throw new InvalidSyntaxException("D: IKE delete with spiSize " + spiSize + " and " + n + " SPIs");
      }
      return ike();
    }
    if (spiSize != 4) {
      throw new InvalidSyntaxException("D: spiSize " + spiSize + " for protocol " + proto);
    }
    List<Integer> spis = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      spis.add(r.u32("D.spi"));
    }
    return new DeletePayload(proto, spis);
  }
}
