package dev.vpngw.dataplane.bgp.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Capability TLVs inside the OPEN's Capabilities optional parameter (RFC 5492). */
public final class CapabilityCodec {
  private CapabilityCodec() {}

  public static List<Capability> decode(ByteBuffer in, int end) throws BgpProtocolException {
    List<Capability> out = new ArrayList<>();
    while (in.position() < end) {
      if (end - in.position() < 2) {
        throw malformed("truncated capability header");
      }
      int code = in.get() & 0xff;
      int len = in.get() & 0xff;
      if (in.position() + len > end) {
        throw malformed("capability " + code + " length " + len + " overruns the parameter");
      }
      ByteBuffer v = in.slice(in.position(), len);
      in.position(in.position() + len);
      out.add(switch (code) {
        case Capability.MULTIPROTOCOL -> {
          if (len != 4) {
            throw malformed("multiprotocol capability length " + len + " != 4");
          }
          int afi = v.getShort() & 0xffff;
          v.get();
          yield new Capability.Multiprotocol(new AddressFamily(afi, v.get() & 0xff));
        }
        case Capability.ROUTE_REFRESH -> {
          if (len != 0) {
            throw malformed("route refresh capability length " + len + " != 0");
          }
          yield new Capability.RouteRefresh();
        }
        case Capability.FOUR_OCTET_AS -> {
          if (len != 4) {
            throw malformed("4-octet AS capability length " + len + " != 4");
          }
          yield new Capability.FourOctetAs(v.getInt() & 0xffffffffL);
        }
        case Capability.GRACEFUL_RESTART -> {
          if (len < 2 || (len - 2) % 4 != 0) {
            throw malformed("graceful restart capability length " + len + " is not 2 + 4n");
          }
          int ft = v.getShort() & 0xffff;
          List<Capability.GrFamily> fams = new ArrayList<>();
          while (v.hasRemaining()) {
            int afi = v.getShort() & 0xffff;
            int safi = v.get() & 0xff;
            int f = v.get() & 0xff;
            fams.add(new Capability.GrFamily(new AddressFamily(afi, safi), (f & 0x80) != 0));
          }
          yield new Capability.GracefulRestart((ft & 0x8000) != 0, ft & 0x0fff, fams);
        }
        default -> {
          byte[] b = new byte[len];
          v.get(b);
          yield new Capability.Unknown(code, b);
        }
      });
    }
    return out;
  }

  private static BgpProtocolException malformed(String what) {
    return new BgpProtocolException(BgpError.UNSUPPORTED_CAPABILITY, "OPEN: " + what);
  }

  public static void encode(Capability c, ByteBuffer out) {
    out.put((byte) c.code());
    int lenPos = out.position();
    out.put((byte) 0);
    switch (c) {
      case Capability.Multiprotocol m -> out.putShort((short) m.family().afi()).put((byte) 0).put((byte) m.family().safi());
      case Capability.RouteRefresh r -> { }
      case Capability.FourOctetAs f -> out.putInt((int) f.asn());
      case Capability.GracefulRestart g -> {
        out.putShort((short) ((g.restarting() ? 0x8000 : 0) | (g.restartTimeSeconds() & 0x0fff)));
        for (Capability.GrFamily f : g.families()) {
          out.putShort((short) f.family().afi()).put((byte) f.family().safi()).put((byte) (f.forwardingPreserved() ? 0x80 : 0));
        }
      }
      case Capability.Unknown u -> out.put(u.value());
    }
    out.put(lenPos, (byte) (out.position() - lenPos - 1));
  }
}
