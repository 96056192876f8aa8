package dev.vpngw.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  final ManualControlLoop loop = new ManualControlLoop();
  final RoutingTable table = new RoutingTable(loop, 10);
  static final Ipv4Prefix P = Ipv4Prefix.parse("198.18.30.0/29");
  static final int DST = Ipv4Prefix.parseAddress("198.18.30.1");

  static Route bgp(String src, int slot, int weight, long lp, int pathLen, int origin, long med, long nAs, int routerId) {
    return new Route(P, src, RouteKind.EBGP, slot, 1, weight, lp, pathLen, origin, med, nAs, routerId, false, null);
  }

  int fwd() {
    loop.advance(10);
    return table.fib().lookup(DST, 0);
  }

  @Test
  void decisionProcessSteps() {
    table.upsert(bgp("a", 1, 0, 100, 3, 0, 0, 65010, 5));
    table.upsert(bgp("b", 2, 0, 100, 2, 0, 0, 65020, 9));
    table.commit();
    assertThat(fwd()).as("shorter AS path").isEqualTo(2);
    table.upsert(bgp("a", 1, 10, 100, 3, 0, 0, 65010, 5));
    table.commit();
    assertThat(fwd()).as("weight first").isEqualTo(1);
    table.upsert(bgp("a", 1, 0, 100, 2, 2, 0, 65010, 5));
    table.commit();
    assertThat(fwd()).as("origin IGP beats INCOMPLETE").isEqualTo(2);
    table.upsert(bgp("a", 1, 0, 200, 9, 2, 0, 65010, 5));
    table.commit();
    assertThat(fwd()).as("local pref before path length").isEqualTo(1);
  }

  @Test
  void medComparedOnlyWithinTheSameNeighbourAs_thenRouterId() {
    table.upsert(bgp("a", 1, 0, 100, 2, 0, 50, 65010, 9));
    table.upsert(bgp("b", 2, 0, 100, 2, 0, 10, 65010, 5));
    table.commit();
    assertThat(fwd()).as("lower MED, same neighbour AS").isEqualTo(2);
    assertThat(table.selected(P)).hasSize(1);
    table.upsert(bgp("b", 2, 0, 100, 2, 0, 10, 65020, 5));
    table.commit();
    // Different neighbour AS: MED ignored, equal cost -> ECMP, best by lower router id.
    assertThat(table.selected(P)).extracting(Route::sourceId).containsExactly("b", "a");
  }

  @Test
  void staticBeatsBgp_networkIsLocal_batchedRebuilds() {
    List<List<KernelRouteListener.Change>> batches = new ArrayList<>();
    table.addKernelListener(batches::add);
    table.upsert(bgp("a", 1, 0, 100, 1, 0, 0, 65010, 5));
    table.setStatic(3, List.of(P));
    table.setNetwork(List.of(Ipv4Prefix.parse("198.18.1.0/24")));
    table.commit();
    assertThat(table.fib().lookup(DST, 0)).as("after a quiet period: published at once").isEqualTo(3);
    assertThat(table.fib().lookup(Ipv4Prefix.parseAddress("198.18.1.1"), 0)).isEqualTo(ForwardingLookup.NO_ROUTE);
    assertThat(batches).hasSize(1);
    assertThat(batches.getFirst()).hasSize(2);
    loop.advance(4);
    table.setStatic(3, List.of());
    table.commit();
    table.setNetwork(List.of());
    table.commit();
    assertThat(table.fib().lookup(DST, 0)).as("within the batch window: waits").isEqualTo(3);
    loop.advance(5);
    assertThat(table.fib().lookup(DST, 0)).isEqualTo(3);
    loop.advance(1);
    assertThat(table.fib().lookup(DST, 0)).as("one rebuild for both commits, 10 ms after the first").isEqualTo(1);
    assertThat(table.fibRebuilds()).isEqualTo(2);
    assertThat(batches).hasSize(2);
  }

  @Test
  void staleRoutesSurviveUntilSwept() {
    table.upsert(bgp("a", 1, 0, 100, 1, 0, 0, 65010, 5));
    table.commit();
    table.markStale("a");
    assertThat(table.staleCountFrom("a")).isEqualTo(1);
    assertThat(fwd()).isEqualTo(1);
    table.upsert(bgp("a", 1, 0, 100, 1, 0, 0, 65010, 5));
    assertThat(table.staleCountFrom("a")).as("re-announced: fresh again").isZero();
    table.markStale("a");
    assertThat(table.sweepStale("a")).isEqualTo(1);
    table.commit();
    assertThat(fwd()).isEqualTo(ForwardingLookup.NO_ROUTE);
  }
}
