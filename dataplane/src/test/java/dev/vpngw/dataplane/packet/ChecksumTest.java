package dev.vpngw.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Checksum#add} (little-endian 32-bit words, vectorised by the JIT) against the plainest
 * RFC 1071 reference: big-endian 16-bit words, one at a time, folded as it goes. Random contents,
 * every offset modulo 8, odd and even lengths up to a 64 kB frame, and a carried-in sum.
 */
class ChecksumTest {
  /** RFC 1071 §4.1, literally. */
  static int reference(byte[] b, int off, int len, int initial) {
    long sum = initial;
    int i = off;
    for (; len > 1; len -= 2, i += 2) {
      sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    if (len > 0) {
      sum += (b[i] & 0xFF) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) sum;
  }

  /** The folded value 0 and 0xFFFF are the same number in ones' complement; compare modulo that. */
  private static int canonical(int folded) {
    return folded == 0xFFFF ? 0 : folded;
  }

  @Test
  void matchesReferenceForRandomOffsetsAndLengths() {
    Random r = new Random(42);
    byte[] b = new byte[70_000];
    for (int round = 0; round < 3_000; round++) {
      r.nextBytes(b);
      int len = round < 600 ? round % 300 : r.nextInt(round % 10 == 0 ? 65_536 : 2_000);
      int off = r.nextInt(8) + (round % 3 == 0 ? 0 : r.nextInt(b.length - len - 8));
      int initial = r.nextInt(0x40000);
      assertThat(canonical(Checksum.fold(Checksum.add(b, off, len, initial))))
          .as("off %d len %d initial %d", off, len, initial)
          .isEqualTo(canonical(reference(b, off, len, initial)));
    }
  }

  @Test
  void extremeContents() {
    for (int fill : new int[] {0x00, 0xFF, 0x80, 0x7F, 0x01}) {
      for (int len : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 1399, 1400, 65_535}) {
        byte[] b = new byte[len + 5];
        Arrays.fill(b, (byte) fill);
        for (int off = 0; off < 5; off++) {
          assertThat(canonical(Checksum.fold(Checksum.add(b, off, len, 0))))
              .as("fill %x off %d len %d", fill, off, len)
              .isEqualTo(canonical(reference(b, off, len, 0)));
        }
      }
    }
  }

  @Test
  void sumOfPartsEqualsSumOfWholeWhenSplitAtEvenOffsets() {
    Random r = new Random(7);
    byte[] b = new byte[3_001];
    r.nextBytes(b);
    for (int split = 0; split <= 3_000; split += 2) {
      long parts = Checksum.add(b, split, b.length - split, Checksum.add(b, 0, split, 0));
      assertThat(Checksum.fold(parts)).as("split %d", split).isEqualTo(Checksum.fold(Checksum.add(b, 0, b.length, 0)));
    }
  }

  @Test
  void fieldAndVerificationAgree() {
    Random r = new Random(3);
    for (int round = 0; round < 500; round++) {
      int len = 40 + r.nextInt(1_400);
      byte[] p = new byte[len + 3];
      r.nextBytes(p);
      int at = round % 4;
      p[at] = 0x45;
      Ipv4.put16(p, at + 2, len);
      p[at + 9] = (byte) Ipv4.PROTO_TCP;
      p[at + 36] = 0;
      p[at + 37] = 0;
      long pseudo = Checksum.pseudoHeader(Ipv4.src(p, at), Ipv4.dst(p, at), Ipv4.PROTO_TCP, len - 20);
      Ipv4.put16(p, at + 36, Checksum.field(Checksum.add(p, at + 20, len - 20, pseudo)));
      assertThat(Checksum.tcpValid(p, at, len)).as("round %d", round).isTrue();
      p[at + 20 + r.nextInt(len - 20)] ^= (byte) (1 << r.nextInt(8));
      assertThat(Checksum.tcpValid(p, at, len)).as("round %d, one bit flipped", round).isFalse();
    }
  }
}
