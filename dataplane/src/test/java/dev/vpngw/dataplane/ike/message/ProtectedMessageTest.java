package dev.vpngw.dataplane.ike.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IkeSaKeys;
import dev.vpngw.dataplane.ike.crypto.IkeSuite;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import dev.vpngw.dataplane.ike.crypto.PrfAlgorithm;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtectedMessageTest {
  private static MessageProtection[] pair(boolean gcm) {
    IkeSuite s = gcm
        ? new IkeSuite(EncryptionAlgorithm.AES_GCM_16, 256, PrfAlgorithm.HMAC_SHA2_256, IntegrityAlgorithm.NONE, DhGroup.ECP_256)
        : new IkeSuite(EncryptionAlgorithm.AES_CBC, 256, PrfAlgorithm.HMAC_SHA2_256, IntegrityAlgorithm.HMAC_SHA2_256_128, DhGroup.MODP_2048);
    IkeSaKeys k = IkeSaKeys.deriveInitial(s, new byte[32], new byte[32], new byte[32], 7, 9);
    return new MessageProtection[] {k.protection(true, new SecureRandom()), k.protection(true, new SecureRandom())};
  }

  private static IkeMessage sample() {
    return new IkeMessage(IkeHeader.of(7, 9, ExchangeType.INFORMATIONAL, true, false, 3),
        List.of(DeletePayload.esp(List.of(0xc0ffee01)), NotifyPayload.of(NotifyType.INITIAL_CONTACT)));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void sealsAndOpens(boolean gcm) {
    var p = pair(gcm);
    byte[] wire = sample().encodeProtected(p[0]);
    var r = IkeMessage.decode(wire, p[1], null);
    assertThat(r).isInstanceOfSatisfying(DecodeResult.Ok.class, ok -> {
      assertThat(ok.message().first(DeletePayload.class).orElseThrow().spis()).containsExactly(0xc0ffee01);
      assertThat(ok.message().notify(NotifyType.INITIAL_CONTACT)).isPresent();
    });
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anyFlippedByteIsDroppedUnprotected(boolean gcm) {
    var p = pair(gcm);
    byte[] wire = sample().encodeProtected(p[0]);
    for (int i = 0; i < wire.length; i++) {
      byte[] bad = wire.clone();
      bad[i] ^= 0x01;
      var r = IkeMessage.decode(bad, p[1], null);
      assertThat(r).as("flip at %d", i).isInstanceOf(DecodeResult.UnprotectedError.class);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void malformedInnerPayloadIsProtectedError(boolean gcm) {
    var p = pair(gcm);
    // A 5-byte nonce is syntactically invalid, but only visible after decryption.
    IkeMessage m = new IkeMessage(IkeHeader.of(7, 9, ExchangeType.CREATE_CHILD_SA, true, false, 4),
        List.of(new NoncePayload(new byte[5])));
    var r = IkeMessage.decode(m.encodeProtected(p[0]), p[1], null);
    assertThat(r).isInstanceOfSatisfying(DecodeResult.ProtectedError.class,
        e -> assertThat(e.error()).isInstanceOf(InvalidSyntaxException.class));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void fragmentsReassembleRfc7383(boolean gcm) {
    var p = pair(gcm);
    List<IkePayload> big = List.of(new VendorPayload(new byte[1500]), new NoncePayload(new byte[64]),
        new VendorPayload(new byte[900]));
    IkeMessage m = new IkeMessage(IkeHeader.of(7, 9, ExchangeType.IKE_AUTH, true, false, 1), big);
    List<byte[]> frags = m.encodeProtectedFragments(p[0], 576);
    assertThat(frags.size()).isGreaterThan(4);
    assertThat(frags).allSatisfy(f -> assertThat(f.length).isLessThanOrEqualTo(576));
    FragmentAssembler fa = new FragmentAssembler();
    DecodeResult last = null;
    // Out of order delivery, with a duplicate.
    List<byte[]> order = new java.util.ArrayList<>(frags.reversed());
    order.add(1, frags.getLast());
    for (byte[] f : order) {
      last = IkeMessage.decode(f, p[1], fa);
      if (last instanceof DecodeResult.Ok) {
        break;
      }
      assertThat(last).isInstanceOf(DecodeResult.Partial.class);
    }
    assertThat(last).isInstanceOfSatisfying(DecodeResult.Ok.class, ok -> {
      assertThat(ok.message().payloads()).hasSize(3);
      assertThat(ok.message().all(VendorPayload.class).getFirst().vendorId()).hasSize(1500);
    });
  }
}
