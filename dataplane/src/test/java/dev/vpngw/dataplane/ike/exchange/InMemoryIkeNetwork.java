package dev.vpngw.dataplane.ike.exchange;

import dev.vpngw.dataplane.net.IkeTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Wires IKE daemons together in-process (strongSwan's exchange_test_helper with mock_sender):
 * datagrams go to the transport bound to the destination address, on one delivery thread. In
 * hold mode datagrams queue up until {@link #release()}, so a test can make requests cross.
 */
final class InMemoryIkeNetwork implements AutoCloseable {
  record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] data) {}

  private final Map<InetAddress, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final ExecutorService delivery = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());
  private final List<Datagram> held = new ArrayList<>();
  private final List<Datagram> log = new ArrayList<>();
  private boolean holding;
  private volatile Predicate<Datagram> drop = d -> false;

  Endpoint endpoint(InetAddress address) {
    return endpoints.computeIfAbsent(address, Endpoint::new);
  }

  void dropWhen(Predicate<Datagram> p) {
    drop = p;
  }

  synchronized void hold() {
    holding = true;
  }

  synchronized int heldCount() {
    return held.size();
  }

  /**
   * How many endpoints have a datagram held: retransmissions (every 200 ms in tests) add to
   * {@link #heldCount()}, so "both requests are in flight" is two senders, not two datagrams.
   */
  synchronized long heldSenders() {
    return held.stream().map(d -> d.from().getAddress()).distinct().count();
  }

  synchronized void release() {
    holding = false;
    List<Datagram> todo = new ArrayList<>(held);
    held.clear();
    todo.forEach(this::dispatch);
  }

  synchronized List<Datagram> sent() {
    return List.copyOf(log);
  }

  /** Injects a datagram as if it came from {@code from} (spoofing tests). */
  void inject(InetSocketAddress from, InetSocketAddress to, byte[] data) {
    send(new Datagram(from, to, data));
  }

  private synchronized void send(Datagram d) {
    log.add(d);
    if (drop.test(d)) {
      return;
    }
    if (holding) {
      held.add(d);
    } else {
      dispatch(d);
    }
  }

  private void dispatch(Datagram d) {
    Endpoint e = endpoints.get(d.to().getAddress());
    if (e != null) {
      delivery.execute(() -> e.receiver.onIkeMessage(d.data(), d.to(), d.from()));
    }
  }

  @Override
  public void close() {
    delivery.shutdownNow();
  }

  final class Endpoint implements IkeTransport {
    private final InetAddress address;
    private volatile Receiver receiver = (m, l, r) -> { };

    Endpoint(InetAddress address) {
      this.address = address;
    }

    @Override
    public void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage) {
      InMemoryIkeNetwork.this.send(new Datagram(new InetSocketAddress(address, local.getPort()), remote, ikeMessage.clone()));
    }

    @Override
    public void setReceiver(Receiver receiver) {
      this.receiver = receiver;
    }

    @Override
    public void close() {}
  }
}
