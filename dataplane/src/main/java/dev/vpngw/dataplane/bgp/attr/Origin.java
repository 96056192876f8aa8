package dev.vpngw.dataplane.bgp.attr;

/** ORIGIN values (RFC 4271 §5.1.1); declaration order is preference order (IGP best). */
public enum Origin {
  IGP,
  EGP,
  INCOMPLETE;

  public int code() {
    return ordinal();
  }
}
