package dev.vpngw.dataplane.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway's RIB: candidate paths per prefix from every source (own addressSpace, static
 * localNetworkAddressSpace per tunnel, BGP peers), best-path + ECMP selection, and the forwarding
 * view published to the packet path as immutable {@link FibSnapshot}s.
 *
 * <p>Confined to the {@link ControlLoop} thread. Mutations mark prefixes dirty; {@link #commit()}
 * re-selects them and tells {@link SelectionListener}s (BGP export). Snapshot rebuilds and kernel
 * programming are coalesced over {@code fibBatchMillis}, so a burst of 10,000 prefixes costs a few
 * rebuilds, not 10,000. The window opens on the leading edge: a change after a quiet period (a
 * tunnel coming up) is published at once, later ones within {@code fibBatchMillis} wait for the
 * next rebuild — a lone change does not pay the batching delay in lost packets.
 */
public final class RoutingTable {
  private final ControlLoop loop;
  private final long fibBatchMillis;
  private final Fib fib = new Fib();
  private final Map<Ipv4Prefix, List<Route>> candidates = new HashMap<>();
  private final Map<String, Set<Ipv4Prefix>> bySource = new HashMap<>();
  private final Map<Ipv4Prefix, List<Route>> selected = new HashMap<>();
  private final Map<Ipv4Prefix, int[]> forwarding = new HashMap<>();
  private final Set<Ipv4Prefix> dirty = new LinkedHashSet<>();
  private final Map<Ipv4Prefix, int[]> pendingKernel = new LinkedHashMap<>();
  private final List<SelectionListener> selectionListeners = new CopyOnWriteArrayList<>();
  private final List<KernelRouteListener> kernelListeners = new CopyOnWriteArrayList<>();
  private boolean fibDirty;
  private ControlLoop.Cancellable fibTimer;
  private long fibRebuilds;
  private long lastRebuildMillis = Long.MIN_VALUE / 2;

  /** A prefix whose selected paths changed; {@code selected} empty means no route any more. */
  public record SelectionChange(Ipv4Prefix prefix, List<Route> selected) {}

  @FunctionalInterface
  public interface SelectionListener {
    void onSelectionChanged(List<SelectionChange> changes);
  }

  public RoutingTable(ControlLoop loop, long fibBatchMillis) {
    this.loop = loop;
    this.fibBatchMillis = fibBatchMillis;
  }

  public Fib fib() {
    return fib;
  }

  public void addSelectionListener(SelectionListener l) {
    selectionListeners.add(l);
  }

  public void addKernelListener(KernelRouteListener l) {
    kernelListeners.add(l);
  }

  /** Adds or replaces the path from {@code route.sourceId()} for its prefix. */
  public void upsert(Route route) {
    List<Route> list = candidates.computeIfAbsent(route.prefix(), p -> new ArrayList<>(2));
    list.removeIf(r -> r.sourceId().equals(route.sourceId()));
    list.add(route);
    bySource.computeIfAbsent(route.sourceId(), s -> new HashSet<>()).add(route.prefix());
    dirty.add(route.prefix());
  }

  public void withdraw(Ipv4Prefix prefix, String sourceId) {
    List<Route> list = candidates.get(prefix);
    if (list != null && list.removeIf(r -> r.sourceId().equals(sourceId))) {
      if (list.isEmpty()) {
        candidates.remove(prefix);
      }
      Set<Ipv4Prefix> s = bySource.get(sourceId);
      if (s != null) {
        s.remove(prefix);
      }
      dirty.add(prefix);
    }
  }

  public void withdrawAll(String sourceId) {
    for (Ipv4Prefix p : List.copyOf(bySource.getOrDefault(sourceId, Set.of()))) {
      withdraw(p, sourceId);
    }
    bySource.remove(sourceId);
  }

  /** RFC 4724: keep a restarting peer's paths but remember they are stale. */
  public void markStale(String sourceId) {
    for (Ipv4Prefix p : bySource.getOrDefault(sourceId, Set.of())) {
      List<Route> list = candidates.get(p);
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i).sourceId().equals(sourceId)) {
          list.set(i, list.get(i).asStale());
        }
      }
    }
  }

  /** Removes the paths of {@code sourceId} still stale; returns how many. */
  public int sweepStale(String sourceId) {
    int n = 0;
    for (Ipv4Prefix p : List.copyOf(bySource.getOrDefault(sourceId, Set.of()))) {
      List<Route> list = candidates.get(p);
      if (list != null && list.stream().anyMatch(r -> r.sourceId().equals(sourceId) && r.stale())) {
        withdraw(p, sourceId);
        n++;
      }
    }
    return n;
  }

  public Set<Ipv4Prefix> prefixesFrom(String sourceId) {
    return Set.copyOf(bySource.getOrDefault(sourceId, Set.of()));
  }

  public int countFrom(String sourceId) {
    return bySource.getOrDefault(sourceId, Set.of()).size();
  }

  public int staleCountFrom(String sourceId) {
    int n = 0;
    for (Ipv4Prefix p : bySource.getOrDefault(sourceId, Set.of())) {
      for (Route r : candidates.get(p)) {
        if (r.sourceId().equals(sourceId) && r.stale()) {
          n++;
        }
      }
    }
    return n;
  }

  /** Replaces the gateway's own prefixes (addressSpace). */
  public void setNetwork(Collection<Ipv4Prefix> prefixes) {
    replaceSource("network", prefixes, Route::network);
  }

  /** Replaces the static routes (localNetworkAddressSpace) into one tunnel. */
  public void setStatic(int tunnelSlot, Collection<Ipv4Prefix> prefixes) {
    replaceSource("static/" + tunnelSlot, prefixes, p -> Route.staticRoute(p, tunnelSlot));
  }

  private void replaceSource(String source, Collection<Ipv4Prefix> prefixes, java.util.function.Function<Ipv4Prefix, Route> make) {
    Set<Ipv4Prefix> want = new HashSet<>(prefixes);
    for (Ipv4Prefix p : List.copyOf(bySource.getOrDefault(source, Set.of()))) {
      if (!want.contains(p)) {
        withdraw(p, source);
      }
    }
    want.forEach(p -> upsert(make.apply(p)));
  }

  /** Re-selects dirty prefixes, notifies listeners, schedules the FIB rebuild. */
  public void commit() {
    if (dirty.isEmpty()) {
      return;
    }
    List<SelectionChange> changes = new ArrayList<>();
    for (Ipv4Prefix p : dirty) {
      List<Route> sel = BestPathSelector.select(candidates.getOrDefault(p, List.of()));
      List<Route> old = selected.get(p);
      if (sel.isEmpty()) {
        if (old != null) {
          selected.remove(p);
          changes.add(new SelectionChange(p, List.of()));
        }
      } else if (!sel.equals(old)) {
        selected.put(p, sel);
        changes.add(new SelectionChange(p, sel));
      }
      int[] slots = sel.isEmpty() ? null : slots(sel);
      int[] was = forwarding.get(p);
      if (!Arrays.equals(slots, was)) {
        if (slots == null) {
          forwarding.remove(p);
        } else {
          forwarding.put(p, slots);
        }
        pendingKernel.put(p, slots == null ? new int[0] : slots);
        fibDirty = true;
      }
    }
    dirty.clear();
    if (!changes.isEmpty()) {
      for (SelectionListener l : selectionListeners) {
        l.onSelectionChanged(changes);
      }
    }
    if (fibDirty) {
      if (fibBatchMillis <= 0) {
        rebuildFib();
      } else if (fibTimer == null && loop.nowMillis() - lastRebuildMillis >= fibBatchMillis) {
        rebuildFib();
      } else if (fibTimer == null) {
        fibTimer = loop.schedule(Math.max(1, lastRebuildMillis + fibBatchMillis - loop.nowMillis()), () -> {
          fibTimer = null;
          rebuildFib();
        });
      }
    }
  }

  private static int[] slots(List<Route> sel) {
    if (sel.getFirst().kind() == RouteKind.NETWORK) {
      return new int[0];
    }
    int[] s = new int[sel.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = sel.get(i).tunnelSlot();
    }
    Arrays.sort(s); // stable ECMP hashing regardless of the order paths arrived in
    return s;
  }

  /** Publishes a fresh snapshot now and hands pending changes to the kernel listeners. */
  public void rebuildFib() {
    if (!fibDirty) {
      return;
    }
    fibDirty = false;
    lastRebuildMillis = loop.nowMillis();
    fib.publish(FibSnapshot.build(forwarding));
    fibRebuilds++;
    if (!pendingKernel.isEmpty()) {
      List<KernelRouteListener.Change> batch = new ArrayList<>(pendingKernel.size());
      pendingKernel.forEach((p, s) -> batch.add(new KernelRouteListener.Change(p, s)));
      pendingKernel.clear();
      for (KernelRouteListener l : kernelListeners) {
        l.apply(batch);
      }
    }
  }

  public List<Route> selected(Ipv4Prefix prefix) {
    return selected.getOrDefault(prefix, List.of());
  }

  public Map<Ipv4Prefix, List<Route>> selectedRoutes() {
    return Map.copyOf(selected);
  }

  /** Every candidate path (Azure's list-learned-routes shows all, not only the best). */
  public List<Route> allRoutes() {
    List<Route> out = new ArrayList<>();
    candidates.values().forEach(out::addAll);
    out.sort((a, b) -> {
      int c = a.prefix().compareTo(b.prefix());
      return c != 0 ? c : a.sourceId().compareTo(b.sourceId());
    });
    return out;
  }

  public int prefixCount() {
    return candidates.size();
  }

  public long fibRebuilds() {
    return fibRebuilds;
  }

  ControlLoop loop() {
    return loop;
  }
}
