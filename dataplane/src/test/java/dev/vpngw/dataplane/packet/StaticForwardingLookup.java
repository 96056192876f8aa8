package dev.vpngw.dataplane.packet;

import dev.vpngw.dataplane.routing.ForwardingLookup;

/** Test stand-in for the routing table: a short static prefix list, first match wins. */
public final class StaticForwardingLookup implements ForwardingLookup {
  private final int[] networks;
  private final int[] masks;
  private final int[] slots;

  private StaticForwardingLookup(int[] networks, int[] masks, int[] slots) {
    this.networks = networks;
    this.masks = masks;
    this.slots = slots;
  }

  /** {@code entries} alternates CIDR strings and slots: "198.18.2.0/24", 0, … */
  public static StaticForwardingLookup of(Object... entries) {
    int n = entries.length / 2;
    int[] nets = new int[n];
    int[] masks = new int[n];
    int[] slots = new int[n];
    for (int i = 0; i < n; i++) {
      String[] cidr = ((String) entries[2 * i]).split("/");
      int len = Integer.parseInt(cidr[1]);
      String[] o = cidr[0].split("\\.");
      int addr = (Integer.parseInt(o[0]) << 24) | (Integer.parseInt(o[1]) << 16) | (Integer.parseInt(o[2]) << 8) | Integer.parseInt(o[3]);
      masks[i] = len == 0 ? 0 : -1 << (32 - len);
      nets[i] = addr & masks[i];
      slots[i] = (Integer) entries[2 * i + 1];
    }
    return new StaticForwardingLookup(nets, masks, slots);
  }

  @Override
  public int lookup(int dstIpv4, int flowHash) {
    for (int i = 0; i < networks.length; i++) {
      if ((dstIpv4 & masks[i]) == networks[i]) {
        return slots[i];
      }
    }
    return NO_ROUTE;
  }
}
