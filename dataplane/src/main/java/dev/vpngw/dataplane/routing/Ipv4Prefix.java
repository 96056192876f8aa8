package dev.vpngw.dataplane.routing;

/**
 * An IPv4 prefix; {@code address} is big-endian with host bits zero, so records compare by value
 * and the FIB can use the int directly.
 */
public record Ipv4Prefix(int address, int length) implements IpPrefix, Comparable<Ipv4Prefix> {
  public static final Ipv4Prefix DEFAULT = new Ipv4Prefix(0, 0);

  public Ipv4Prefix {
    if (length < 0 || length > 32) {
      throw new IllegalArgumentException("prefix length " + length + " out of 0..32");
    }
    if ((address & ~mask(length)) != 0) {
      throw new IllegalArgumentException("prefix " + Ipv4Prefix.format(address) + "/" + length + " has host bits set");
    }
  }

  /** Builds a prefix, clearing host bits instead of rejecting them. */
  public static Ipv4Prefix of(int address, int length) {
    return new Ipv4Prefix(address & mask(length), length);
  }

  public static int mask(int length) {
    return length == 0 ? 0 : -1 << (32 - length);
  }

  public static Ipv4Prefix parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("prefix '" + text + "' lacks '/length'");
    }
    int len;
    try {
      len = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("prefix '" + text + "': length is not a number");
    }
    return new Ipv4Prefix(parseAddress(text.substring(0, slash)), len);
  }

  public static int parseAddress(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("IPv4 address '" + dotted + "' must have four octets");
    }
    int a = 0;
    for (String p : parts) {
      int v;
      try {
        v = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("IPv4 address '" + dotted + "': octet '" + p + "' is not a number");
      }
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("IPv4 address '" + dotted + "': octet " + v + " out of 0..255");
      }
      a = (a << 8) | v;
    }
    return a;
  }

  public static String format(int address) {
    return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
  }

  public boolean contains(int ip) {
    return (ip & mask(length)) == address;
  }

  /** True when {@code other} lies inside this prefix (or equals it). */
  public boolean covers(Ipv4Prefix other) {
    return other.length >= length && (other.address & mask(length)) == address;
  }

  public boolean overlaps(Ipv4Prefix other) {
    return covers(other) || other.covers(this);
  }

  @Override
  public int compareTo(Ipv4Prefix o) {
    int c = Integer.compareUnsigned(address, o.address);
    return c != 0 ? c : Integer.compare(length, o.length);
  }

  @Override
  public String toString() {
    return format(address) + "/" + length;
  }
}
