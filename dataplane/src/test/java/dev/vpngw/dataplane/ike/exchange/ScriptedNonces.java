package dev.vpngw.dataplane.ike.exchange;

import dev.vpngw.dataplane.ike.sa.IkeSaHost;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Deterministic nonces (strongSwan's mock_nonce_gen): by default every nonce starts with 0x80 and
 * counts up; a test queues first bytes to decide rekey-collision winners.
 */
final class ScriptedNonces implements IkeSaHost.NonceGenerator {
  private final Deque<Integer> firstBytes = new ArrayDeque<>();
  private final int side;
  private int counter;

  ScriptedNonces(int side) {
    this.side = side;
  }

  synchronized void next(int... first) {
    for (int f : first) {
      firstBytes.add(f);
    }
  }

  @Override
  public synchronized byte[] nonce(int length) {
    byte[] n = new byte[length];
    n[0] = (byte) (firstBytes.isEmpty() ? 0x80 : firstBytes.poll());
    n[1] = (byte) side;
    n[2] = (byte) (counter >> 8);
    n[3] = (byte) counter++;
    return n;
  }
}
