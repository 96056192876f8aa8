package dev.vpngw.dataplane.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.esp.EspSaParams;
import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.IkeDaemon;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.ike.IkeTimers;
import dev.vpngw.dataplane.testsupport.RecordingSaManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** Two in-process IKE daemons, A (198.18.0.1) and B (198.18.0.2), on an {@link InMemoryIkeNetwork}. */
final class ExchangePair implements AutoCloseable {
  static final InetAddress A = addr("198.18.0.1");
  static final InetAddress B = addr("198.18.0.2");
  final InMemoryIkeNetwork net = new InMemoryIkeNetwork();
  final RecordingSaManager smA = new RecordingSaManager();
  final RecordingSaManager smB = new RecordingSaManager();
  final ScriptedNonces nonA = new ScriptedNonces(0xa);
  final ScriptedNonces nonB = new ScriptedNonces(0xb);
  final IkeDaemon a;
  final IkeDaemon b;

  ExchangePair(UnaryOperator<IkeConnection> tweakA, UnaryOperator<IkeConnection> tweakB, int cookieThresholdB) {
    a = new IkeDaemon(net.endpoint(A), smA, IkeDaemon.Options.defaults().withNonces(nonA));
    b = new IkeDaemon(net.endpoint(B), smB, IkeDaemon.Options.defaults().withNonces(nonB).withCookieThreshold(cookieThresholdB));
    a.addConnection(tweakA.apply(conn(A, B)));
    b.addConnection(tweakB.apply(conn(B, A)));
  }

  ExchangePair() {
    this(c -> c, c -> c, 50);
  }

  static IkeTimers timers() {
    return new IkeTimers(List.of(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800)),
        Duration.ofSeconds(2), 0.1, 0.05, Duration.ofSeconds(1));
  }

  static IkeConnection conn(InetAddress local, InetAddress remote) {
    return IkeConnection.routeBased("c", local, remote, "exchange-psk".getBytes(StandardCharsets.US_ASCII))
        .withTimers(timers(), Duration.ofSeconds(30));
  }

  IkeSaStatus sa() {
    return a.status("c").orElse(null);
  }

  IkeSaStatus sb() {
    return b.status("c").orElse(null);
  }

  void establish() {
    a.initiate("c");
    awaitConsistent();
  }

  /** Both sides established with one child each, SPIs and keys crosswise equal, nothing stale. */
  void awaitConsistent() {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
      IkeSaStatus x = sa();
      IkeSaStatus y = sb();
      assertThat(x).isNotNull();
      assertThat(y).isNotNull();
      assertThat(x.state()).as("A %s / B %s", x, y).isEqualTo(IkeSaState.ESTABLISHED);
      assertThat(y.state()).as("B %s", y).isEqualTo(IkeSaState.ESTABLISHED);
      assertThat(x.initiatorSpi()).isEqualTo(y.initiatorSpi());
      assertThat(x.responderSpi()).isEqualTo(y.responderSpi());
      assertThat(x.children()).hasSize(1);
      assertThat(y.children()).hasSize(1);
      var ca = x.children().getFirst();
      var cb = y.children().getFirst();
      assertThat(ca.inboundSpi()).isEqualTo(cb.outboundSpi());
      assertThat(ca.outboundSpi()).isEqualTo(cb.inboundSpi());
      assertThat(smA.installed()).hasSize(2);
      assertThat(smB.installed()).hasSize(2);
      var outA = smA.get(EspSaParams.Direction.OUTBOUND, ca.outboundSpi()).orElseThrow();
      var inB = smB.get(EspSaParams.Direction.INBOUND, cb.inboundSpi()).orElseThrow();
      assertThat(outA.encKey()).isEqualTo(inB.encKey());
      assertThat(outA.integKey()).isEqualTo(inB.integKey());
      assertThat(smA.activeOutbound("c")).contains(ca.outboundSpi());
      assertThat(smB.activeOutbound("c")).contains(cb.outboundSpi());
      assertThat(a.ikeSaCount()).isEqualTo(1);
      assertThat(b.ikeSaCount()).isEqualTo(1);
    });
  }

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    a.close();
    b.close();
    net.close();
  }
}
