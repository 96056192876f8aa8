package dev.vpngw.dataplane.routing;

/**
 * The packet path's routing view: a volatile reference to the current {@link FibSnapshot}.
 * Readers never block; the routing table swaps in a rebuilt snapshot.
 */
public final class Fib implements ForwardingLookup {
  private volatile FibSnapshot current = FibSnapshot.EMPTY;

  @Override
  public int lookup(int dstIpv4, int flowHash) {
    return current.lookup(dstIpv4, flowHash);
  }

  void publish(FibSnapshot snapshot) {
    current = snapshot;
  }

  public FibSnapshot snapshot() {
    return current;
  }

  public int size() {
    return current.size();
  }
}
