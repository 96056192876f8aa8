package dev.vpngw.dataplane.routing;

/** An IP prefix as carried in BGP NLRI and kept in the routing table. */
public sealed interface IpPrefix permits Ipv4Prefix, Ipv6Prefix {
  int length();

  /** Parses "a.b.c.d/n" or an IPv6 "x::/n"; the name of the failing field is in the message. */
  static IpPrefix parse(String text) {
    return text.indexOf(':') >= 0 ? Ipv6Prefix.parse(text) : Ipv4Prefix.parse(text);
  }
}
