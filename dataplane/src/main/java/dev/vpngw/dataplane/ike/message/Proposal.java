package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One proposal substructure (RFC 7296 §3.3.1).
 *
 * @param protocolId 1 IKE, 2 AH, 3 ESP
 * @param spi        empty in IKE_SA_INIT, 8 bytes for IKE rekey, 4 bytes for ESP
 */
public record Proposal(int number, int protocolId, byte[] spi, List<Transform> transforms) {
  public static final int PROTO_IKE = 1;
  public static final int PROTO_AH = 2;
  public static final int PROTO_ESP = 3;

  public Proposal {
    spi = spi.clone();
    transforms = List.copyOf(transforms);
  }

  public List<Transform> transformsOfType(int type) {
    return transforms.stream().filter(t -> t.type() == type).toList();
  }

  /** The SPI as an int (ESP/AH). */
  public int spiAsInt() {
    return spi.length == 4 ? ((spi[0] & 0xff) << 24) | ((spi[1] & 0xff) << 16) | ((spi[2] & 0xff) << 8) | (spi[3] & 0xff) : 0;
  }

  /** The SPI as a long (IKE rekey). */
  public long spiAsLong() {
    long v = 0;
    for (byte b : spi) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }

  void encode(WireWriter w, boolean last) {
    WireWriter body = new WireWriter();
    for (int i = 0; i < transforms.size(); i++) {
      transforms.get(i).encode(body, i == transforms.size() - 1);
    }
    byte[] tb = body.toByteArray();
    w.u8(last ? 0 : 2).u8(0).u16(8 + spi.length + tb.length)
        .u8(number).u8(protocolId).u8(spi.length).u8(transforms.size()).bytes(spi).bytes(tb);
  }

  static Proposal decode(WireReader r, boolean[] lastOut) throws InvalidSyntaxException {
    int more = r.u8("proposal.last");
    if (more != 0 && more != 2) {
      throw new InvalidSyntaxException("proposal.last: " + more + " is neither 0 nor 2");
    }
    lastOut[0] = more == 0;
    r.u8("proposal.reserved");
    int len = r.u16("proposal.length");
    if (len < 8) {
      throw new InvalidSyntaxException("proposal.length: " + len + " < 8");
    }
    WireReader p = r.slice(len - 4, "proposal body");
    int num = p.u8("proposal.number");
    int proto = p.u8("proposal.protocolId");
    int spiSize = p.u8("proposal.spiSize");
    int count = p.u8("proposal.numTransforms");
    byte[] spi = p.bytes(spiSize, "proposal.spi");
    List<Transform> ts = new ArrayList<>(count);
    boolean[] last = {false};
    while (!last[0]) {
      if (p.remaining() == 0) {
        throw new InvalidSyntaxException("proposal " + num + ": transform list ends without last marker");
      }
      ts.add(Transform.decode(p, last));
    }
    if (ts.size() != count || p.remaining() != 0) {
      throw new InvalidSyntaxException("proposal " + num + ": numTransforms " + count + " but found " + ts.size());
    }
    return new Proposal(num, proto, spi, ts);
  }

  @Override
  public String toString() {
    return "Proposal[#" + number + " proto=" + protocolId + " spi=" + HexFormat.of().formatHex(spi) + " " + transforms + "]";
  }
}
