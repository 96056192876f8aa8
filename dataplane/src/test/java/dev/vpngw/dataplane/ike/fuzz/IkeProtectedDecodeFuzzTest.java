package dev.vpngw.dataplane.ike.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IkeSaKeys;
import dev.vpngw.dataplane.ike.crypto.IkeSuite;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import dev.vpngw.dataplane.ike.crypto.PrfAlgorithm;
import dev.vpngw.dataplane.ike.message.DecodeResult;
import dev.vpngw.dataplane.ike.message.FragmentAssembler;
import dev.vpngw.dataplane.ike.message.IkeHeader;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.MessageProtection;
import dev.vpngw.dataplane.ike.message.PayloadType;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Fuzz target for the IKE decoder's authenticated path: the fuzzer's bytes become the plaintext of
 * an SK payload, or of a run of SKF fragments with fuzzer-chosen numbering, sealed with the SA's
 * real keys. So decryption, pad-length checks, RFC 7383 reassembly and every inner payload codec
 * see attacker-shaped input, which random datagrams never do (they die at the ICV check). Any
 * input must decode to a {@link DecodeResult}, never throw; whatever decodes re-encodes.
 *
 * <p>In the normal build this replays {@code IkeProtectedDecodeFuzzTestInputs/} and the
 * {@code fuzz-smoke} profile fuzzes it briefly; long runs: {@code docs/fuzzing.md}.
 */
class IkeProtectedDecodeFuzzTest {
  private static final MessageProtection PROTECTION = IkeSaKeys.deriveInitial(
      new IkeSuite(EncryptionAlgorithm.AES_CBC, 128, PrfAlgorithm.HMAC_SHA1, IntegrityAlgorithm.HMAC_SHA1_96,
          DhGroup.MODP_1024),
      new byte[16], new byte[16], new byte[16], 1, 2).protection(true, new SecureRandom());
  /** Payload types the decoder knows, so the fuzzer names a real codec more often than not. */
  private static final int[] INNER_TYPES = {33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 47, 48};

  @FuzzTest(maxDuration = "10s")
  void protectedDecodeNeverThrows(FuzzedDataProvider data) {
    int exchange = data.consumeInt(34, 37);
    int flags = data.consumeInt(0, 0xff) & (IkeHeader.FLAG_INITIATOR | IkeHeader.FLAG_RESPONSE);
    int messageId = data.consumeInt(0, 3);
    int firstInner = data.consumeBoolean() ? INNER_TYPES[data.consumeInt(0, INNER_TYPES.length - 1)]
        : data.consumeInt(0, 255);
    int fragments = data.consumeBoolean() ? 0 : data.consumeInt(1, 5); // 0: one SK payload
    FragmentAssembler assembler = new FragmentAssembler();
    int count = Math.max(1, fragments);
    for (int i = 1; i <= count; i++) {
      int number = fragments == 0 ? 0 : data.consumeInt(0, 6);
      int total = fragments == 0 ? 0 : (data.consumeBoolean() ? fragments : data.consumeInt(0, 70));
      byte[] plain = i == count ? data.consumeRemainingAsBytes() : data.consumeBytes(data.consumeInt(0, 600));
      byte[] datagram = sealed(exchange, flags, messageId, firstInner, number, total, plain);
      DecodeResult r = IkeMessage.decode(datagram, PROTECTION, assembler);
      assertThat(r).isNotNull();
      if (r instanceof DecodeResult.Ok ok) {
        assertThat(ok.message().encode()).isNotNull();
      }
    }
  }

  /**
   * An authentic SK ({@code total == 0}) or SKF datagram whose whole plaintext (inner payloads,
   * padding and pad-length byte) is {@code plain}, cut to the cipher's block size.
   */
  private static byte[] sealed(int exchange, int flags, int messageId, int firstInner, int number, int total,
      byte[] plain) {
    int block = PROTECTION.blockSize();
    byte[] pt = Arrays.copyOf(plain, Math.max(block, plain.length - plain.length % block));
    byte[] iv = PROTECTION.newIv();
    boolean frag = total != 0;
    int payloadLen = (frag ? 8 : 4) + iv.length + pt.length + PROTECTION.icvLength();
    byte[] header = new IkeHeader(0x1122334455667788L, 0x0102030405060708L,
        (frag ? PayloadType.SKF : PayloadType.SK).value(), 2, 0, exchange, flags, messageId,
        IkeHeader.SIZE + payloadLen).encode();
    ByteArrayOutputStream aad = new ByteArrayOutputStream();
    aad.writeBytes(header);
    aad.writeBytes(new byte[] {(byte) firstInner, 0, (byte) (payloadLen >>> 8), (byte) payloadLen});
    if (frag) {
      aad.writeBytes(new byte[] {(byte) (number >>> 8), (byte) number, (byte) (total >>> 8), (byte) total});
    }
    byte[] a = aad.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(iv);
    out.writeBytes(PROTECTION.seal(a, iv, pt));
    return out.toByteArray();
  }
}
