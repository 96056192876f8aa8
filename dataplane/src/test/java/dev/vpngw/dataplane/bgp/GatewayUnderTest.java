package dev.vpngw.dataplane.bgp;

import dev.vpngw.dataplane.bgp.io.SocketFactory;
import dev.vpngw.dataplane.routing.ExecutorControlLoop;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.routing.RoutingTable;
import java.io.IOException;

/** Our speaker running in this JVM with its sockets inside a test namespace (setns thread). */
final class GatewayUnderTest implements AutoCloseable {
  final String ns;
  final ExecutorControlLoop loop;
  final RoutingTable table;
  final BgpSpeaker speaker;

  private GatewayUnderTest(String ns, ExecutorControlLoop loop, RoutingTable table, BgpSpeaker speaker) {
    this.ns = ns;
    this.loop = loop;
    this.table = table;
    this.speaker = speaker;
  }

  static GatewayUnderTest start(String namespace, BgpSpeakerConfig config) throws IOException {
    String ns = namespace;
    ExecutorControlLoop loop = new ExecutorControlLoop("bgp-" + namespace);
    RoutingTable table = new RoutingTable(loop, 5);
    BgpSpeaker speaker = new BgpSpeaker(config, table, loop, SocketFactory.inNamespace(ns));
    speaker.start();
    return new GatewayUnderTest(ns, loop, table, speaker);
  }

  int lookup(String address, int flowHash) {
    return table.fib().lookup(Ipv4Prefix.parseAddress(address), flowHash);
  }

  <T> T onLoop(java.util.concurrent.Callable<T> c) {
    return loop.call(c);
  }

  @Override
  public void close() {
    speaker.close();
    try {
      Thread.sleep(50); // let the CEASE leave before the loop stops
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loop.close();
  }
}
