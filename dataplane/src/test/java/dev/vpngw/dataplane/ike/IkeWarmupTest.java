package dev.vpngw.dataplane.ike;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.ike.proposal.AzureIpsecPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up warm-up really completes handshakes with the policies it is given. */
class IkeWarmupTest {
  static final InetAddress LO = InetAddress.getLoopbackAddress();

  @Test
  void completesOneHandshakePerPolicy() {
    IkeConnection azure = IkeConnection.routeBased("t", LO, LO, new byte[] {1});
    var gcm = new AzureIpsecPolicy(27_000, 102_400_000, "GCMAES256", "GCMAES256", "GCMAES256", "SHA256", "ECP256", "None");
    var cbc = new AzureIpsecPolicy(3_600, 102_400_000, "AES128", "SHA256", "AES128", "SHA256", "DHGroup14", "PFS14");
    int ok = IkeWarmup.run(List.of(azure, azure.withPolicies(gcm.toIkePolicy(), gcm.toChildPolicy()),
        azure.withPolicies(cbc.toIkePolicy(), cbc.toChildPolicy())), Duration.ofSeconds(20), 1, Duration.ZERO);
    assertThat(ok).isEqualTo(3);
  }

  @Test
  void furtherRoundsStopAtTheBudget() {
    IkeConnection azure = IkeConnection.routeBased("t", LO, LO, new byte[] {1});
    long start = System.nanoTime();
    assertThat(IkeWarmup.run(List.of(azure), Duration.ofSeconds(20), 1_000_000, Duration.ofMillis(300))).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }
}
