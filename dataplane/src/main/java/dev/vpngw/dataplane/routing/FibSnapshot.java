package dev.vpngw.dataplane.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable IPv4 forwarding table: for each prefix length present (longest first) a sorted
 * array of network addresses and a parallel array of next-hop group indexes. A lookup is at most
 * 33 binary searches over primitive arrays: no allocation, no locks, safe from any thread.
 * An empty group means "local" (the gateway's own addressSpace), which shadows covering routes.
 */
public final class FibSnapshot implements ForwardingLookup {
  public static final FibSnapshot EMPTY = build(Map.of());

  private final int[] lengths;
  private final int[] masks;
  private final int[][] keys;
  private final int[][] groupIndex;
  private final int[][] groups;
  private final int size;

  private FibSnapshot(int[] lengths, int[][] keys, int[][] groupIndex, int[][] groups, int size) {
    this.lengths = lengths;
    this.masks = new int[lengths.length];
    for (int i = 0; i < lengths.length; i++) {
      masks[i] = Ipv4Prefix.mask(lengths[i]);
    }
    this.keys = keys;
    this.groupIndex = groupIndex;
    this.groups = groups;
    this.size = size;
  }

  /** {@code slots}: prefix → tunnel slots (ECMP set; empty = local). */
  public static FibSnapshot build(Map<Ipv4Prefix, int[]> slots) {
    List<List<Ipv4Prefix>> byLength = new ArrayList<>();
    for (int i = 0; i <= 32; i++) {
      byLength.add(new ArrayList<>());
    }
    Map<String, Integer> groupIds = new HashMap<>();
    List<int[]> groups = new ArrayList<>();
    slots.keySet().forEach(p -> byLength.get(p.length()).add(p));
    int present = (int) byLength.stream().filter(l -> !l.isEmpty()).count();
    int[] lengths = new int[present];
    int[][] keys = new int[present][];
    int[][] idx = new int[present][];
    int k = 0;
    for (int len = 32; len >= 0; len--) {
      List<Ipv4Prefix> l = byLength.get(len);
      if (l.isEmpty()) {
        continue;
      }
      // Signed order matches Arrays.binarySearch; any consistent order works for exact matches.
      l.sort((a, b) -> Integer.compare(a.address(), b.address()));
      lengths[k] = len;
      keys[k] = new int[l.size()];
      idx[k] = new int[l.size()];
      for (int i = 0; i < l.size(); i++) {
        Ipv4Prefix p = l.get(i);
        int[] s = slots.get(p);
        int gi = groupIds.computeIfAbsent(Arrays.toString(s), x -> {
          groups.add(s.clone());
          return groups.size() - 1;
        });
        keys[k][i] = p.address();
        idx[k][i] = gi;
      }
      k++;
    }
    return new FibSnapshot(lengths, keys, idx, groups.toArray(int[][]::new), slots.size());
  }

  @Override
  public int lookup(int dstIpv4, int flowHash) {
    for (int i = 0; i < lengths.length; i++) {
      int pos = Arrays.binarySearch(keys[i], dstIpv4 & masks[i]);
      if (pos >= 0) {
        int[] g = groups[groupIndex[i][pos]];
        return switch (g.length) {
          case 0 -> NO_ROUTE;
          case 1 -> g[0];
          default -> g[Integer.remainderUnsigned(flowHash, g.length)];
        };
      }
    }
    return NO_ROUTE;
  }

  public int size() {
    return size;
  }
}
