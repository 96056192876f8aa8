package dev.vpngw.dataplane.ike;

import java.time.Duration;
import java.util.List;

/**
 * Protocol timers. Production defaults follow Android/strongSwan; tests pass short ones.
 *
 * @param retransmits     wait before each retransmission; the request fails after the last one
 * @param halfOpenTimeout how long a responder keeps an IKE SA that has not authenticated
 * @param rekeyMargin     fraction of a lifetime before its end at which we rekey (e.g. 0.1)
 * @param rekeyJitter     extra random fraction subtracted from the rekey time, so both peers do
 *                        not rekey at the same instant (e.g. 0.05)
 * @param deleteGrace     how long a rekeyed-away child SA keeps accepting packets if the peer never
 *                        deletes it
 */
public record IkeTimers(List<Duration> retransmits, Duration halfOpenTimeout, double rekeyMargin, double rekeyJitter,
    Duration deleteGrace) {
  public IkeTimers {
    retransmits = List.copyOf(retransmits);
    if (retransmits.isEmpty()) {
      throw new IllegalArgumentException("retransmits must not be empty");
    }
  }

  public static IkeTimers defaults() {
    return new IkeTimers(List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(8), Duration.ofSeconds(16)), Duration.ofSeconds(30), 0.1, 0.05, Duration.ofSeconds(5));
  }

  public Duration totalRetransmitTime() {
    return retransmits.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
