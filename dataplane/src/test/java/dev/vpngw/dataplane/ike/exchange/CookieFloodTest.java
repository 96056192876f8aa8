package dev.vpngw.dataplane.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeHeader;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.KePayload;
import dev.vpngw.dataplane.ike.message.NoncePayload;
import dev.vpngw.dataplane.ike.message.SaPayload;
import dev.vpngw.dataplane.ike.proposal.AzureDefaults;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A flood of spoofed IKE_SA_INIT requests (valid syntax, valid KE, never completed) must not grow
 * state without bound: past the threshold the responder answers with stateless COOKIEs (RFC 7296
 * §2.6) and keeps no SA, half-open SAs expire, and a genuine peer still gets through.
 */
class CookieFloodTest {
  private static final int THRESHOLD = 5;
  private static final int FLOOD = 300;

  @Test
  void spoofedInitFloodKeepsHalfOpenSasBounded() {
    try (ExchangePair p = new ExchangePair(c -> c, c -> c, THRESHOLD)) {
      SecureRandom r = new SecureRandom();
      byte[] ke = DhGroup.MODP_1024.newKeyExchange(r).publicValue();
      var proposals = new ArrayList<dev.vpngw.dataplane.ike.message.Proposal>();
      int n = 1;
      for (var ip : AzureDefaults.ikePolicy().proposals()) {
        proposals.add(ip.toWire(n++, new byte[0]));
      }
      AtomicInteger maxHalfOpen = new AtomicInteger();
      InetSocketAddress spoofed = new InetSocketAddress(ExchangePair.A, 500);
      InetSocketAddress target = new InetSocketAddress(ExchangePair.B, 500);
      for (int i = 0; i < FLOOD; i++) {
        byte[] nonce = new byte[32];
        r.nextBytes(nonce);
        IkeMessage m = new IkeMessage(IkeHeader.of(r.nextLong() | 1, 0, ExchangeType.IKE_SA_INIT, true, false, 0),
            List.of(new SaPayload(proposals), new KePayload(2, ke), new NoncePayload(nonce)));
        p.net.inject(spoofed, target, m.encode());
        maxHalfOpen.accumulateAndGet(p.b.halfOpenCount(), Math::max);
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(p.b.cookiesSent()).isGreaterThanOrEqualTo(FLOOD - THRESHOLD));
      maxHalfOpen.accumulateAndGet(p.b.halfOpenCount(), Math::max);
      assertThat(maxHalfOpen.get()).isLessThanOrEqualTo(THRESHOLD);
      assertThat(p.b.ikeSaCount()).isLessThanOrEqualTo(THRESHOLD);
      // Half-open SAs time out (2 s in these timers), leaving nothing behind.
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(p.b.ikeSaCount()).isZero());
      assertThat(p.b.halfOpenCount()).isZero();
      // A real peer still gets in (with a cookie round trip if the flood were still on).
      p.establish();
    }
  }
}
