package dev.vpngw.dataplane.ike.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IkeSaKeys;
import dev.vpngw.dataplane.ike.crypto.IkeSuite;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import dev.vpngw.dataplane.ike.crypto.PrfAlgorithm;
import dev.vpngw.dataplane.ike.message.DecodeResult;
import dev.vpngw.dataplane.ike.message.FragmentAssembler;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.MessageProtection;
import java.security.SecureRandom;

/**
 * Fuzz target for the IKE message decoder: any datagram must decode to a {@link DecodeResult},
 * never throw. Random bytes rarely get past an SK payload's ICV; {@link IkeProtectedDecodeFuzzTest}
 * covers the authenticated path. In the normal build this replays the seed corpus in
 * {@code src/test/resources/dev/vpngw/dataplane/ike/fuzz/IkeDecoderFuzzTestInputs/} (regression
 * mode) and the {@code fuzz-smoke} profile fuzzes it briefly; long runs: {@code docs/fuzzing.md}.
 */
class IkeDecoderFuzzTest {
  private static final MessageProtection PROTECTION = IkeSaKeys.deriveInitial(
      new IkeSuite(EncryptionAlgorithm.AES_CBC, 128, PrfAlgorithm.HMAC_SHA1, IntegrityAlgorithm.HMAC_SHA1_96,
          DhGroup.MODP_1024),
      new byte[16], new byte[16], new byte[16], 1, 2).protection(true, new SecureRandom());

  @FuzzTest(maxDuration = "10s")
  void decodeNeverThrows(byte[] datagram) {
    DecodeResult plain = IkeMessage.decode(datagram, null, null);
    assertThat(plain).isNotNull();
    DecodeResult prot = IkeMessage.decode(datagram, PROTECTION, new FragmentAssembler());
    assertThat(prot).isNotNull();
    if (plain instanceof DecodeResult.Ok ok) {
      // Whatever decodes must encode again without error.
      assertThat(ok.message().encode()).isNotNull();
    }
  }
}
