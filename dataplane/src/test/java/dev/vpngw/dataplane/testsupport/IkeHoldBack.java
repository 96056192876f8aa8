package dev.vpngw.dataplane.testsupport;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Holds back IKE (never ESP) at one end of a wire with nftables, to make IKE exchanges cross on
 * purpose. IKE on UDP 4500 is recognised by the non-ESP marker ({@code @th,64,32 0}: four zero bytes
 * after the UDP header); the R flag (0x20 in the IKE header's flags, byte 23 of the UDP payload,
 * {@code @th,248,8}) tells responses from requests. Works on the namespace's own traffic: "in" is what
 * it receives (input hook), "out" what it sends (output hook). Every kind is counted whether dropped
 * or not ({@link #packets}).
 */
public final class IkeHoldBack {
  /** A class of IKE message as seen from the namespace that holds back. */
  public enum Kind {
    IN_REQUEST("in", "udp dport 4500", "0x0"),
    IN_RESPONSE("in", "udp dport 4500", "0x20"),
    OUT_REQUEST("out", "udp sport 4500", "0x0"),
    OUT_RESPONSE("out", "udp sport 4500", "0x20");

    final String chain;
    final String match;

    Kind(String chain, String port, String rFlag) {
      this.chain = chain;
      this.match = port + " @th,64,32 0 @th,248,8 & 0x20 == " + rFlag;
    }

    String counter() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");
  private final TestNetwork net;
  private final String ns;

  private IkeHoldBack(TestNetwork net, String ns) {
    this.net = net;
    this.ns = ns;
  }

  public static IkeHoldBack create(TestNetwork net, String ns) {
    IkeHoldBack h = new IkeHoldBack(net, ns);
    h.nft("add table ip ikehold; "
        + "add chain ip ikehold in { type filter hook input priority 0; }; "
        + "add chain ip ikehold out { type filter hook output priority 0; }; "
        + EnumSet.allOf(Kind.class).stream().map(k -> "add counter ip ikehold " + k.counter())
            .collect(Collectors.joining("; ")));
    h.drop(EnumSet.noneOf(Kind.class));
    return h;
  }

  /** From now on drops exactly these kinds of IKE message (none: nothing is held back). */
  public void drop(Set<Kind> kinds) {
    StringBuilder cmd = new StringBuilder("flush chain ip ikehold in; flush chain ip ikehold out");
    for (Kind k : Kind.values()) {
      cmd.append("; add rule ip ikehold ").append(k.chain).append(' ').append(k.match).append(" counter name ")
          .append(k.counter()).append(kinds.contains(k) ? " drop" : "");
    }
    nft(cmd.toString());
  }

  public void dropAll() {
    drop(EnumSet.allOf(Kind.class));
  }

  public void release() {
    drop(EnumSet.noneOf(Kind.class));
  }

  /** IKE messages of this kind seen so far (dropped or passed). */
  public long packets(Kind kind) {
    Matcher m = PACKETS.matcher(nft("list counter ip ikehold " + kind.counter()));
    if (!m.find()) {
      throw new IllegalStateException("no packet count for " + kind);
    }
    return Long.parseLong(m.group(1));
  }

  private String nft(String commands) {
    return net.exec(ns, "nft", commands);
  }
}
