package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.esp.SaManager;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.ike.crypto.KeyExchangeFactory;
import dev.vpngw.dataplane.net.IkeTransport;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the daemon provides to each IKE SA: the network, the packet path, randomness, time and the
 * SPI registry. Tests implement it in-process (strongSwan's exchange_test_helper idea).
 */
public interface IkeSaHost {
  IkeTransport transport();

  SaManager saManager();

  /** Largest IKE message sent unfragmented once RFC 7383 fragmentation is negotiated. */
  int fragmentSize();

  SecureRandom random();

  /** Nonces are separate from other randomness so collision tests can fix their first byte. */
  NonceGenerator nonces();

  KeyExchangeFactory keyExchanges();

  Clock clock();

  ScheduledExecutorService scheduler();

  /** A fresh non-zero IKE SPI not used by any SA of this daemon. */
  long newIkeSpi();

  /** A fresh non-zero inbound ESP SPI (≥ 256, RFC 4303) not used by any child SA of this daemon. */
  int newChildSpi();

  void register(long ourSpi, IkeSa sa);

  void unregister(long ourSpi, IkeSa sa);

  /** The SA's latest state for status; called on the SA's own thread. */
  void publish(IkeSa sa, IkeSaStatus status);

  /** Asks whichever IKE SA of the connection now owns this child SA to rekey it. */
  void rekeyChild(String connection, int inboundSpi);

  /** The peer sent INITIAL_CONTACT: every other IKE SA of this connection is stale. */
  void initialContact(IkeSa sa);

  @FunctionalInterface
  interface NonceGenerator {
    byte[] nonce(int length);
  }
}
