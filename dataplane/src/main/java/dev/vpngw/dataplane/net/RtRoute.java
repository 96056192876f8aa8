package dev.vpngw.dataplane.net;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One IPv4 route change for {@link RtNetlink}: {@code ip route replace DST dev X} (one device,
 * scope link), {@code ip route replace DST nexthop dev X nexthop dev Y} (multipath) or
 * {@code ip route del DST}, with the fields iproute2 sets for those commands (protocol boot, type
 * unicast, the given table). Devices are interface indexes of the socket's namespace.
 *
 * @param delete    true for RTM_DELROUTE (any route to the prefix in the table), else a replace
 * @param dst       network address, host order (e.g. 0xC6120000 for 198.18.0.0)
 * @param length    prefix length 0..32
 * @param table     routing table id (254 = main)
 * @param ifindexes output devices; empty for a delete
 */
public record RtRoute(boolean delete, int dst, int length, int table, int[] ifindexes) {
  public static final int TABLE_MAIN = 254;
  static final short RTM_NEWROUTE = 24;
  static final short RTM_DELROUTE = 25;
  private static final byte AF_INET = 2;
  private static final byte RTPROT_BOOT = 3;
  private static final byte RT_SCOPE_UNIVERSE = 0;
  private static final byte RT_SCOPE_LINK = (byte) 253;
  private static final byte RT_SCOPE_NOWHERE = (byte) 255;
  private static final byte RTN_UNICAST = 1;
  private static final short RTA_DST = 1;
  private static final short RTA_OIF = 4;
  private static final short RTA_MULTIPATH = 9;
  private static final short RTA_TABLE = 15;
  static final short NLM_F_CREATE = 0x400;
  static final short NLM_F_REPLACE = 0x100;

  public RtRoute {
    if (length < 0 || length > 32) {
      throw new IllegalArgumentException("prefix length: " + length + " is not 0..32");
    }
    if (length < 32 && (dst & (int) (0xffffffffL >>> length)) != 0) {
      throw new IllegalArgumentException("dst: " + address(dst) + "/" + length + " has host bits set");
    }
    if (table <= 0) {
      throw new IllegalArgumentException("table: " + table + " is not a routing table id (1..2^31-1)");
    }
    ifindexes = ifindexes.clone();
    if (delete != (ifindexes.length == 0)) {
      throw new IllegalArgumentException(delete ? "ifindexes: a delete names no device"
          : "ifindexes: a route needs at least one device");
    }
    for (int i : ifindexes) {
      if (i <= 0) {
        throw new IllegalArgumentException("ifindexes: " + i + " is not an interface index");
      }
    }
  }

  public static RtRoute replace(int dst, int length, int table, int... ifindexes) {
    return new RtRoute(false, dst, length, table, ifindexes);
  }

  public static RtRoute remove(int dst, int length, int table) {
    return new RtRoute(true, dst, length, table, new int[0]);
  }

  /** Bytes of the netlink message, header included. */
  int encodedLength() {
    int n = 16 + 12 + 8 + 8; // nlmsghdr, rtmsg, RTA_DST, RTA_TABLE
    if (ifindexes.length == 1) {
      n += 8;
    } else if (ifindexes.length > 1) {
      n += 4 + 8 * ifindexes.length;
    }
    return n;
  }

  /** Appends the request (native byte order buffer); {@code ack} asks the kernel for an ACK. */
  void encode(ByteBuffer b, int seq, boolean ack) {
    int start = b.position();
    short flags = (short) (RtNetlink.NLM_F_REQUEST | (ack ? RtNetlink.NLM_F_ACK : 0)
        | (delete ? 0 : NLM_F_CREATE | NLM_F_REPLACE));
    b.putInt(encodedLength()).putShort(delete ? RTM_DELROUTE : RTM_NEWROUTE).putShort(flags).putInt(seq).putInt(0);
    b.put(AF_INET).put((byte) length).put((byte) 0).put((byte) 0)
        .put((byte) (table < 256 ? table : 252)) // RT_TABLE_COMPAT; the real id is in RTA_TABLE
        .put(delete ? 0 : RTPROT_BOOT)
        .put(delete ? RT_SCOPE_NOWHERE : ifindexes.length == 1 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE)
        .put(delete ? 0 : RTN_UNICAST)
        .putInt(0);
    b.putShort((short) 8).putShort(RTA_DST).putInt(networkOrder(b, dst));
    b.putShort((short) 8).putShort(RTA_TABLE).putInt(table);
    if (ifindexes.length == 1) {
      b.putShort((short) 8).putShort(RTA_OIF).putInt(ifindexes[0]);
    } else if (ifindexes.length > 1) {
      b.putShort((short) (4 + 8 * ifindexes.length)).putShort(RTA_MULTIPATH);
      for (int i : ifindexes) {
        b.putShort((short) 8).put((byte) 0).put((byte) 0).putInt(i); // rtnexthop: len, flags, hops, ifindex
      }
    }
    assert b.position() - start == encodedLength();
  }

  /** The int whose bytes, written in the buffer's (native) order, are {@code dst} in network order. */
  private static int networkOrder(ByteBuffer b, int dst) {
    return b.order() == java.nio.ByteOrder.BIG_ENDIAN ? dst : Integer.reverseBytes(dst);
  }

  static String address(int a) {
    return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(delete ? "route del " : "route replace ").append(address(dst)).append('/')
        .append(length).append(" table ").append(table);
    for (int i : ifindexes) {
      s.append(ifindexes.length > 1 ? " nexthop" : "").append(" dev #").append(i);
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RtRoute r && r.delete == delete && r.dst == dst && r.length == length && r.table == table
        && Arrays.equals(r.ifindexes, ifindexes);
  }

  @Override
  public int hashCode() {
    return ((Boolean.hashCode(delete) * 31 + dst) * 31 + length) * 31 + table + Arrays.hashCode(ifindexes);
  }

  @Override
  public int[] ifindexes() {
    return ifindexes.clone();
  }
}
