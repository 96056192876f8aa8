package dev.vpngw.dataplane.bgp;

import dev.vpngw.dataplane.bgp.attr.AttributeContext;
import dev.vpngw.dataplane.bgp.attr.PathAttributes;
import dev.vpngw.dataplane.bgp.attr.PathAttributesCodec;
import dev.vpngw.dataplane.bgp.wire.BgpMessage;
import dev.vpngw.dataplane.bgp.wire.BgpMessageCodec;
import dev.vpngw.dataplane.bgp.wire.NlriCodec;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What we told one peer, and the UPDATEs that move it to a new desired state. Prefixes sharing
 * attributes are packed into as few UPDATEs as fit in 4,096 bytes.
 */
public final class AdjRibOut {
  private static final int BODY_MAX = BgpMessageCodec.MAX_LENGTH - BgpMessageCodec.HEADER - 4;
  private final Map<Ipv4Prefix, PathAttributes> advertised = new HashMap<>();
  private final Map<Ipv4Prefix, PathAttributes> pending = new LinkedHashMap<>();

  /** Records the desired state of one prefix ({@code null}: not advertised). */
  public void want(Ipv4Prefix p, PathAttributes attrs) {
    PathAttributes have = advertised.get(p);
    if (attrs == null ? have == null : attrs.equals(have)) {
      pending.remove(p);
    } else {
      pending.put(p, attrs);
    }
  }

  /** Builds the UPDATEs for pending changes and marks them advertised. */
  public List<BgpMessage.Update> drain(AttributeContext ctx) {
    List<Ipv4Prefix> withdraw = new ArrayList<>();
    Map<PathAttributes, List<Ipv4Prefix>> announce = new LinkedHashMap<>();
    pending.forEach((p, a) -> {
      if (a == null) {
        if (advertised.remove(p) != null) {
          withdraw.add(p);
        }
      } else {
        advertised.put(p, a);
        announce.computeIfAbsent(a, x -> new ArrayList<>()).add(p);
      }
    });
    pending.clear();
    return pack(withdraw, announce, ctx);
  }

  /** Every advertised route again (answer to ROUTE-REFRESH). */
  public List<BgpMessage.Update> full(AttributeContext ctx) {
    Map<PathAttributes, List<Ipv4Prefix>> announce = new LinkedHashMap<>();
    advertised.forEach((p, a) -> announce.computeIfAbsent(a, x -> new ArrayList<>()).add(p));
    return pack(List.of(), announce, ctx);
  }

  private static List<BgpMessage.Update> pack(List<Ipv4Prefix> withdraw, Map<PathAttributes, List<Ipv4Prefix>> announce, AttributeContext ctx) {
    List<BgpMessage.Update> out = new ArrayList<>();
    List<Ipv4Prefix> chunk = new ArrayList<>();
    int size = 0;
    for (Ipv4Prefix p : withdraw) {
      int n = NlriCodec.encodedLength(p);
      if (size + n > BODY_MAX) {
        out.add(new BgpMessage.Update(chunk, PathAttributes.EMPTY, List.of()));
        chunk = new ArrayList<>();
        size = 0;
      }
      chunk.add(p);
      size += n;
    }
    if (!chunk.isEmpty()) {
      out.add(new BgpMessage.Update(chunk, PathAttributes.EMPTY, List.of()));
    }
    ByteBuffer scratch = ByteBuffer.allocate(BgpMessageCodec.MAX_LENGTH * 2);
    for (var e : announce.entrySet()) {
      scratch.clear();
      PathAttributesCodec.encode(e.getKey(), scratch, ctx);
      int room = BODY_MAX - scratch.position();
      chunk = new ArrayList<>();
      size = 0;
      for (Ipv4Prefix p : e.getValue()) {
        int n = NlriCodec.encodedLength(p);
        if (size + n > room) {
          out.add(new BgpMessage.Update(List.of(), e.getKey(), chunk));
          chunk = new ArrayList<>();
          size = 0;
        }
        chunk.add(p);
        size += n;
      }
      if (!chunk.isEmpty()) {
        out.add(new BgpMessage.Update(List.of(), e.getKey(), chunk));
      }
    }
    return out;
  }

  public Map<Ipv4Prefix, PathAttributes> advertised() {
    return Map.copyOf(advertised);
  }

  public void clear() {
    advertised.clear();
    pending.clear();
  }
}
