package dev.vpngw.dataplane.esp;

import java.util.Arrays;
import java.util.List;

/**
 * The IPv4 address ranges of one child SA's traffic selectors, precomputed for the packet path: the
 * outbound side picks the child whose selectors cover a packet's (source, destination), the inbound
 * side drops a decrypted packet that lies outside them (RFC 4301 §5.2). Checks are a few integer
 * compares over arrays, allocation-free. Only addresses are enforced: we always negotiate any
 * protocol and port, and a peer's narrowing to a port is rare enough to leave to the peer.
 */
public final class SelectorRanges {
  /** 0.0.0.0/0 ↔ 0.0.0.0/0: route-based tunnels, and SAs installed without selectors. */
  public static final SelectorRanges ANY = of(List.of(new Range(0, -1)), List.of(new Range(0, -1)));

  /** An inclusive IPv4 range, addresses as unsigned 32-bit values in an int. */
  public record Range(int first, int last) {
    public Range {
      if (Integer.compareUnsigned(first, last) > 0) {
        throw new IllegalArgumentException("selector range starts after it ends");
      }
    }
  }

  // Bounds with the sign bit flipped, so a signed compare orders them as unsigned addresses.
  private final int[] localLo;
  private final int[] localHi;
  private final int[] remoteLo;
  private final int[] remoteHi;
  private final boolean any;
  private final String text;

  private SelectorRanges(List<Range> local, List<Range> remote) {
    localLo = bounds(local, true);
    localHi = bounds(local, false);
    remoteLo = bounds(remote, true);
    remoteHi = bounds(remote, false);
    any = coversAll(local) && coversAll(remote);
    text = local + " <-> " + remote;
  }

  /** Selectors of our side ({@code local}) and the peer's side ({@code remote}). */
  public static SelectorRanges of(List<Range> local, List<Range> remote) {
    return new SelectorRanges(local, remote);
  }

  private static int[] bounds(List<Range> ranges, boolean low) {
    int[] out = new int[ranges.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (low ? ranges.get(i).first() : ranges.get(i).last()) ^ Integer.MIN_VALUE;
    }
    return out;
  }

  private static boolean coversAll(List<Range> ranges) {
    return ranges.stream().anyMatch(r -> r.first() == 0 && r.last() == -1);
  }

  /** Whether every address pair matches (no check needed on the packet path). */
  public boolean any() {
    return any;
  }

  /** An outbound packet (IPv4 header at {@code ip}): source on our side, destination on the peer's. */
  public boolean coversOutbound(byte[] b, int ip) {
    return any || in(localLo, localHi, addr(b, ip + 12)) && in(remoteLo, remoteHi, addr(b, ip + 16));
  }

  /** A decrypted inbound packet (IPv4 header at {@code ip}): source on the peer's side, destination on ours. */
  public boolean coversInbound(byte[] b, int ip) {
    return any || in(remoteLo, remoteHi, addr(b, ip + 12)) && in(localLo, localHi, addr(b, ip + 16));
  }

  /** Same ranges: the SA is a rekey of (or a duplicate of) one with {@code o}'s selectors. */
  public boolean sameAs(SelectorRanges o) {
    return o == this || Arrays.equals(localLo, o.localLo) && Arrays.equals(localHi, o.localHi)
        && Arrays.equals(remoteLo, o.remoteLo) && Arrays.equals(remoteHi, o.remoteHi);
  }

  private static int addr(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF))
        ^ Integer.MIN_VALUE;
  }

  private static boolean in(int[] lo, int[] hi, int a) {
    for (int i = 0; i < lo.length; i++) {
      if (a >= lo[i] && a <= hi[i]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return any ? "any" : text;
  }
}
