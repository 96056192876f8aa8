package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.BgpProtocolException;
import dev.vpngw.dataplane.bgp.wire.TreatAsWithdrawException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The path-attribute list of an UPDATE: attribute headers, dispatch to the per-attribute codecs
 * and the RFC 7606 rules that decide between treat-as-withdraw, attribute-discard and session
 * reset. Decoding goes on after a treat-as-withdraw error so MP_REACH/MP_UNREACH are still found.
 */
public final class PathAttributesCodec {
  public static final int ATOMIC_AGGREGATE = 6;
  public static final int AGGREGATOR = 7;

  static final OriginCodec ORIGIN = new OriginCodec();
  static final AsPathCodec AS_PATH = new AsPathCodec();
  static final NextHopCodec NEXT_HOP = new NextHopCodec();
  static final MedCodec MED = new MedCodec();
  static final LocalPrefCodec LOCAL_PREF = new LocalPrefCodec();
  static final CommunitiesCodec COMMUNITIES = new CommunitiesCodec();
  static final MpReachCodec MP_REACH = new MpReachCodec();
  static final MpUnreachCodec MP_UNREACH = new MpUnreachCodec();
  static final AsPathCodec AS4_PATH = AsPathCodec.as4Path();

  private PathAttributesCodec() {}

  /** Decoded attributes plus the first error that demands treat-as-withdraw, if any. */
  public record Result(PathAttributes attributes, TreatAsWithdrawException error) {}

  public static Result decode(ByteBuffer in, int end, AttributeContext ctx) throws BgpProtocolException {
    PathAttributes a = PathAttributes.EMPTY;
    List<UnknownAttribute> others = new ArrayList<>();
    BitSet seen = new BitSet(256);
    TreatAsWithdrawException taw = null;
    while (in.position() < end) {
      if (end - in.position() < 3) {
        taw = first(taw, new TreatAsWithdrawException(BgpError.MALFORMED_ATTRIBUTE_LIST, "truncated attribute header"));
        break;
      }
      int flags = in.get() & 0xff;
      int type = in.get() & 0xff;
      int len;
      if ((flags & AttributeCodec.FLAG_EXTENDED_LENGTH) != 0) {
        if (end - in.position() < 2) {
          taw = first(taw, new TreatAsWithdrawException(BgpError.MALFORMED_ATTRIBUTE_LIST, "attribute type " + type + ": truncated length"));
          break;
        }
        len = in.getShort() & 0xffff;
      } else {
        len = in.get() & 0xff;
      }
      if (in.position() + len > end) {
        taw = first(taw, new TreatAsWithdrawException(BgpError.ATTRIBUTE_LENGTH_ERROR,
            "attribute type " + type + " length " + len + " overruns the attribute list"));
        break;
      }
      ByteBuffer v = in.slice(in.position(), len);
      in.position(in.position() + len);
      boolean duplicate = seen.get(type);
      seen.set(type);
      if (duplicate) {
        if (type == MP_REACH.type() || type == MP_UNREACH.type()) {
          throw new BgpProtocolException(BgpError.MALFORMED_ATTRIBUTE_LIST, "attribute type " + type + " appears twice");
        }
        continue; // RFC 7606 §3 g: keep the first, discard the rest
      }
      int want = expectedFlags(type);
      if (want >= 0 && type != MP_REACH.type() && type != MP_UNREACH.type()
          && (flags & (AttributeCodec.FLAG_OPTIONAL | AttributeCodec.FLAG_TRANSITIVE)) != want) {
        taw = first(taw, new TreatAsWithdrawException(BgpError.ATTRIBUTE_FLAGS_ERROR,
            "attribute type " + type + " has flags 0x" + Integer.toHexString(flags)));
        continue;
      }
      try {
        switch (type) {
          case 1 -> a = a.withOrigin(ORIGIN.decode(v, ctx));
          case 2 -> a = a.withAsPath(AS_PATH.decode(v, ctx));
          case 3 -> a = a.withNextHop(NEXT_HOP.decode(v, ctx));
          case 4 -> a = a.withMed(MED.decode(v, ctx));
          case 5 -> {
            Long lp = LOCAL_PREF.decode(v, ctx);
            if (!ctx.ebgp()) {
              a = a.withLocalPref(lp); // RFC 7606 §7.5: discarded from external peers
            }
          }
          case 8 -> a = a.withCommunities(COMMUNITIES.decode(v, ctx));
          case 14 -> a = a.withMpReach(MP_REACH.decode(v, ctx));
          case 15 -> a = a.withMpUnreach(MP_UNREACH.decode(v, ctx));
          case 17 -> {
            try {
              a = a.withAs4Path(AS4_PATH.decode(v, ctx));
            } catch (TreatAsWithdrawException e) {
              // RFC 6793 §6: a malformed AS4_PATH is discarded, the route kept.
            }
          }
          case ATOMIC_AGGREGATE -> {
            if (len == 0) {
              others.add(new UnknownAttribute(flags & ~AttributeCodec.FLAG_EXTENDED_LENGTH, type, bytes(v)));
            }
          }
          case AGGREGATOR -> {
            if (len == (ctx.fourOctetAs() ? 8 : 6)) {
              others.add(new UnknownAttribute(flags & ~AttributeCodec.FLAG_EXTENDED_LENGTH, type, bytes(v)));
            }
          }
          default -> {
            if ((flags & AttributeCodec.FLAG_OPTIONAL) == 0) {
              throw new BgpProtocolException(BgpError.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
                  "well-known attribute type " + type + " is not recognised", new byte[] {(byte) flags, (byte) type});
            }
            if ((flags & AttributeCodec.FLAG_TRANSITIVE) != 0) {
              int f = (flags | AttributeCodec.FLAG_PARTIAL) & ~AttributeCodec.FLAG_EXTENDED_LENGTH;
              others.add(new UnknownAttribute(f, type, bytes(v)));
            }
          }
        }
      } catch (TreatAsWithdrawException e) {
        taw = first(taw, e);
      }
    }
    a = a.withOthers(others);
    if (!ctx.fourOctetAs() && a.as4Path() != null && a.asPath() != null) {
      a = a.withAsPath(mergeAs4(a.asPath(), a.as4Path())).withAs4Path(null);
    }
    return new Result(a, taw);
  }

  private static TreatAsWithdrawException first(TreatAsWithdrawException have, TreatAsWithdrawException next) {
    return have != null ? have : next;
  }

  private static byte[] bytes(ByteBuffer v) {
    byte[] b = new byte[v.remaining()];
    v.get(b);
    return b;
  }

  private static int expectedFlags(int type) {
    return switch (type) {
      case 1 -> ORIGIN.flags();
      case 2 -> AS_PATH.flags();
      case 3 -> NEXT_HOP.flags();
      case 4 -> MED.flags();
      case 5 -> LOCAL_PREF.flags();
      case 8 -> COMMUNITIES.flags();
      case 14 -> MP_REACH.flags();
      case 15 -> MP_UNREACH.flags();
      case 17 -> AS4_PATH.flags();
      default -> -1;
    };
  }

  /** RFC 6793 §4.2.3 for the common all-sequence case; otherwise AS_PATH is kept as received. */
  static AsPath mergeAs4(AsPath asPath, AsPath as4) {
    int n = asPath.length();
    int m = as4.length();
    boolean sequencesOnly = asPath.segments().stream().allMatch(s -> s.type() == AsPath.SegmentType.AS_SEQUENCE);
    if (m > n || !sequencesOnly) {
      return asPath;
    }
    List<Long> flat = new ArrayList<>();
    asPath.segments().forEach(s -> flat.addAll(s.asns()));
    List<AsPath.Segment> out = new ArrayList<>();
    if (n > m) {
      out.add(new AsPath.Segment(AsPath.SegmentType.AS_SEQUENCE, flat.subList(0, n - m)));
    }
    out.addAll(as4.segments());
    return new AsPath(out);
  }

  /** Writes the attributes in type order; AS4_PATH is added for 2-octet peers when needed. */
  public static void encode(PathAttributes a, ByteBuffer out, AttributeContext ctx) {
    if (a.origin() != null) {
      put(out, ORIGIN, ORIGIN.flags(), a.origin(), ctx);
    }
    if (a.asPath() != null) {
      put(out, AS_PATH, AS_PATH.flags(), a.asPath(), ctx);
    }
    if (a.nextHop() != null) {
      put(out, NEXT_HOP, NEXT_HOP.flags(), a.nextHop(), ctx);
    }
    if (a.med() != null) {
      put(out, MED, MED.flags(), a.med(), ctx);
    }
    if (a.localPref() != null) {
      put(out, LOCAL_PREF, LOCAL_PREF.flags(), a.localPref(), ctx);
    }
    for (UnknownAttribute u : a.others()) {
      if (u.type() < 8) {
        putRaw(out, u.flags(), u.type(), u.value());
      }
    }
    if (!a.communities().isEmpty()) {
      put(out, COMMUNITIES, COMMUNITIES.flags(), a.communities(), ctx);
    }
    if (a.mpReach() != null) {
      put(out, MP_REACH, MP_REACH.flags(), a.mpReach(), ctx);
    }
    if (a.mpUnreach() != null) {
      put(out, MP_UNREACH, MP_UNREACH.flags(), a.mpUnreach(), ctx);
    }
    AsPath as4 = a.as4Path();
    if (as4 == null && !ctx.fourOctetAs() && a.asPath() != null && AsPathCodec.needsAs4Path(a.asPath())) {
      as4 = a.asPath();
    }
    if (as4 != null && !ctx.fourOctetAs()) {
      put(out, AS4_PATH, AS4_PATH.flags(), as4, ctx);
    }
    for (UnknownAttribute u : a.others()) {
      if (u.type() > 8) {
        putRaw(out, u.flags(), u.type(), u.value());
      }
    }
  }

  private static <T> void put(ByteBuffer out, AttributeCodec<T> codec, int flags, T value, AttributeContext ctx) {
    int start = out.position();
    // Reserve the extended two-byte length, then shrink to one byte when it fits.
    out.put((byte) 0).put((byte) codec.type()).putShort((short) 0);
    int valueStart = out.position();
    codec.encode(value, out, ctx);
    int len = out.position() - valueStart;
    if (len > 255) {
      out.put(start, (byte) (flags | AttributeCodec.FLAG_EXTENDED_LENGTH));
      out.putShort(start + 2, (short) len);
    } else {
      out.put(start, (byte) flags);
      out.put(start + 2, (byte) len);
      for (int i = 0; i < len; i++) {
        out.put(start + 3 + i, out.get(valueStart + i)); // ascending copy one byte left is safe
      }
      out.position(start + 3 + len);
    }
  }

  private static void putRaw(ByteBuffer out, int flags, int type, byte[] value) {
    if (value.length > 255) {
      out.put((byte) (flags | AttributeCodec.FLAG_EXTENDED_LENGTH)).put((byte) type).putShort((short) value.length);
    } else {
      out.put((byte) (flags & ~AttributeCodec.FLAG_EXTENDED_LENGTH)).put((byte) type).put((byte) value.length);
    }
    out.put(value);
  }
}
