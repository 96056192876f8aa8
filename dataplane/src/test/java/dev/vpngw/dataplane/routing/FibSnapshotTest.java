package dev.vpngw.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FibSnapshotTest {
  static int ip(String s) {
    return Ipv4Prefix.parseAddress(s);
  }

  @Test
  void longestPrefixWins_localShadowsSuperset_defaultCatchesTheRest() {
    Map<Ipv4Prefix, int[]> m = new HashMap<>();
    m.put(Ipv4Prefix.parse("0.0.0.0/0"), new int[] {9});
    m.put(Ipv4Prefix.parse("198.18.0.0/15"), new int[] {1});
    m.put(Ipv4Prefix.parse("198.18.1.0/24"), new int[0]);
    m.put(Ipv4Prefix.parse("198.18.1.128/25"), new int[] {2});
    m.put(Ipv4Prefix.parse("198.19.255.255/32"), new int[] {3});
    FibSnapshot f = FibSnapshot.build(m);
    assertThat(f.lookup(ip("198.18.200.1"), 0)).isEqualTo(1);
    assertThat(f.lookup(ip("198.18.1.5"), 0)).isEqualTo(ForwardingLookup.NO_ROUTE);
    assertThat(f.lookup(ip("198.18.1.200"), 0)).isEqualTo(2);
    assertThat(f.lookup(ip("198.19.255.255"), 0)).isEqualTo(3);
    assertThat(f.lookup(ip("198.19.255.254"), 0)).isEqualTo(1);
    assertThat(f.lookup(ip("203.0.113.1"), 0)).isEqualTo(9);
    assertThat(f.lookup(ip("255.255.255.255"), 0)).isEqualTo(9);
    assertThat(FibSnapshot.EMPTY.lookup(ip("198.18.0.1"), 0)).isEqualTo(ForwardingLookup.NO_ROUTE);
  }

  @Test
  void highAddressesSortCorrectly() {
    Map<Ipv4Prefix, int[]> m = new HashMap<>();
    m.put(Ipv4Prefix.parse("203.0.113.0/24"), new int[] {1});
    m.put(Ipv4Prefix.parse("192.0.2.0/24"), new int[] {2});
    m.put(Ipv4Prefix.parse("1.0.0.0/24"), new int[] {3});
    FibSnapshot f = FibSnapshot.build(m);
    assertThat(f.lookup(ip("203.0.113.7"), 0)).isEqualTo(1);
    assertThat(f.lookup(ip("192.0.2.7"), 0)).isEqualTo(2);
    assertThat(f.lookup(ip("1.0.0.7"), 0)).isEqualTo(3);
  }

  @Test
  void ecmpSpreadsFlowsAndIsStablePerFlow() {
    FibSnapshot f = FibSnapshot.build(Map.of(Ipv4Prefix.parse("198.18.0.0/16"), new int[] {4, 5}));
    Set<Integer> seen = new HashSet<>();
    for (int h = -50; h < 50; h++) {
      int s = f.lookup(ip("198.18.3.3"), h);
      assertThat(f.lookup(ip("198.18.3.3"), h)).isEqualTo(s);
      seen.add(s);
    }
    assertThat(seen).containsExactlyInAnyOrder(4, 5);
  }

  @Test
  void tenThousandPrefixesAllFound() {
    Map<Ipv4Prefix, int[]> m = new HashMap<>();
    int base = ip("198.18.0.0");
    for (int i = 0; i < 10_000; i++) {
      m.put(new Ipv4Prefix(base + i * 8, 29), new int[] {i % 7});
    }
    FibSnapshot f = FibSnapshot.build(m);
    for (int i = 0; i < 10_000; i++) {
      assertThat(f.lookup(base + i * 8 + 5, 0)).isEqualTo(i % 7);
    }
    assertThat(f.lookup(base + 10_000 * 8, 0)).isEqualTo(ForwardingLookup.NO_ROUTE);
  }

  @Test
  void lookupAllocatesNothing() {
    Map<Ipv4Prefix, int[]> m = new HashMap<>();
    int base = ip("198.18.0.0");
    for (int i = 0; i < 10_000; i++) {
      m.put(new Ipv4Prefix(base + i * 8, 29), i % 2 == 0 ? new int[] {1} : new int[] {1, 2});
    }
    Fib fib = new Fib();
    fib.publish(FibSnapshot.build(m));
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int i = 0; i < 200_000; i++) { // warm up so the JIT has compiled the loop
      sink += fib.lookup(base + (i % 80_000), i);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000_000; i++) {
      sink += fib.lookup(base + (i % 80_000), i);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(sink).isPositive();
    assertThat(allocated).as("bytes allocated by 1M lookups").isLessThan(1024);
  }
}
