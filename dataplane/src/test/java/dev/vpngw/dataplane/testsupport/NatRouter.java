package dev.vpngw.dataplane.testsupport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NAT router namespace driven with nftables: source NAT of UDP (and everything else) leaving
 * {@code publicIf}, optionally to a given port range so translated ports are visibly not 500/4500,
 * named counters for assertions, and short conntrack UDP timeouts so a test can let a mapping
 * expire and come back on another port. {@code /proc/net/nf_conntrack} shows the live mappings
 * (there is no conntrack binary here).
 */
public final class NatRouter {
  private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");
  private final TestNetwork net;
  private final String ns;
  private final String publicIf;

  private NatRouter(TestNetwork net, String ns, String publicIf) {
    this.net = net;
    this.ns = ns;
    this.publicIf = publicIf;
  }

  /** Forwarding on, table {@code ip nat} with chain {@code post} (empty until {@link #snat}), table {@code ip watch}. */
  public static NatRouter create(TestNetwork net, String ns, String publicIf) {
    net.exec(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    NatRouter r = new NatRouter(net, ns, publicIf);
    r.nft("add table ip nat; add chain ip nat post { type nat hook postrouting priority 100; }; "
        + "add table ip watch; add chain ip watch forwarded { type filter hook forward priority 0; }");
    return r;
  }

  public String namespace() {
    return ns;
  }

  /** Runs nft commands (several separated by ';') in the router namespace. */
  public String nft(String commands) {
    return net.exec(ns, "nft", commands);
  }

  /**
   * Replaces the NAT rules: UDP leaving the public interface gets source {@code address} (null:
   * the interface's, i.e. masquerade) and a port from {@code ports} ("40000-40999"); other protocols
   * are masqueraded. Existing conntrack mappings keep their ports until they expire.
   */
  public void snat(String address, String ports) {
    String udp = address == null ? "masquerade to :" + ports : "snat to " + address + ":" + ports;
    nft("flush chain ip nat post; "
        + "add rule ip nat post oifname \"" + publicIf + "\" meta l4proto udp " + udp + "; "
        + "add rule ip nat post oifname \"" + publicIf + "\" masquerade");
  }

  /** Adds a named counter in table {@code watch} counting forwarded packets that match {@code match}. */
  public void count(String name, String match) {
    nft("add counter ip watch " + name + "; add rule ip watch forwarded " + match + " counter name " + name);
  }

  public long packets(String counter) {
    Matcher m = PACKETS.matcher(nft("list counter ip watch " + counter));
    if (!m.find()) {
      throw new IllegalStateException("no packet count for counter " + counter);
    }
    return Long.parseLong(m.group(1));
  }

  /**
   * A NAT outage: drops all UDP before connection tracking sees it (raw priority), so nothing
   * refreshes the mappings and they expire after {@link #udpTimeouts}; off again when false.
   */
  public void outage(boolean on) {
    nft(on ? "add chain ip watch outage { type filter hook prerouting priority -300; }; "
        + "add rule ip watch outage meta l4proto udp drop"
        : "flush chain ip watch outage; delete chain ip watch outage");
  }

  /** Conntrack UDP timeouts (unreplied and assured) in seconds: idle mappings vanish after this. */
  public void udpTimeouts(int seconds) {
    net.exec(ns, "sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=" + seconds,
        "net.netfilter.nf_conntrack_udp_timeout_stream=" + seconds);
  }

  /** The router's conntrack table, one entry a line (addresses and translated ports). */
  public String conntrack() {
    return net.exec(ns, "cat", "/proc/net/nf_conntrack");
  }
}
