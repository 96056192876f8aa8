package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Traffic Selector payload TSi/TSr (RFC 7296 §3.13). */
public record TsPayload(boolean initiator, List<TrafficSelector> selectors) implements IkePayload {
  public TsPayload {
    selectors = List.copyOf(selectors);
  }

  @Override
  public int type() {
    return (initiator ? PayloadType.TSI : PayloadType.TSR).value();
  }

  @Override
  public byte[] encodeBody() {
    WireWriter w = new WireWriter().u8(selectors.size()).u8(0).u16(0);
    selectors.forEach(s -> s.encode(w));
    return w.toByteArray();
  }

  static TsPayload decode(boolean initiator, WireReader r) throws InvalidSyntaxException {
    int n = r.u8("TS.count");
    r.skip(3, "TS.reserved");
    if (n == 0) {
      throw new InvalidSyntaxException("TS: no selectors");
    }
    List<TrafficSelector> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(TrafficSelector.decode(r));
    }
    if (r.remaining() != 0) {
      throw new InvalidSyntaxException("TS: " + r.remaining() + " bytes after " + n + " selectors");
    }
    return new TsPayload(initiator, list);
  }
}
