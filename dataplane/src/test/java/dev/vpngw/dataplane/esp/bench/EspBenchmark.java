package dev.vpngw.dataplane.esp.bench;

import dev.vpngw.dataplane.esp.Drop;
import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.esp.EspSaParams;
import dev.vpngw.dataplane.esp.EspSaParams.Direction;
import dev.vpngw.dataplane.esp.EspTransform;
import dev.vpngw.dataplane.esp.TunnelSlots;
import dev.vpngw.dataplane.packet.Ipv4;
import dev.vpngw.dataplane.packet.PacketBuffer;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ESP encapsulate/decapsulate of a 1400-byte IPv4 packet versus bare JCE AES-GCM on the same
 * buffer size. Run: {@code ./mvnw -B -pl dataplane -am -Pbench test -DskipTests
 * -Djmh.args="EspBenchmark -prof gc"} (gc.alloc.rate.norm = bytes allocated per packet).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EspBenchmark {
  static final int PACKET = 1400;
  static final int SPI = 0x01020304;

  @Param({"AES_GCM_16_256", "AES_CBC_256_HMAC_SHA256_128"})
  public String transform;

  EspEngine tx;
  EspEngine rx;
  int slot;
  PacketBuffer out;
  PacketBuffer in;
  byte[] sealed;
  int sealedLen;

  Cipher jce;
  SecretKeySpec jceKey;
  byte[] jceBuf = new byte[PACKET + 64];
  byte[] batch = new byte[PACKET + 128];
  java.nio.ByteBuffer heapIn = java.nio.ByteBuffer.allocate(PACKET + 64);
  java.nio.ByteBuffer heapOut = java.nio.ByteBuffer.allocate(PACKET + 64);
  java.nio.ByteBuffer directIn = java.nio.ByteBuffer.allocateDirect(PACKET + 64);
  java.nio.ByteBuffer directOut = java.nio.ByteBuffer.allocateDirect(PACKET + 64);
  byte[] nonce = new byte[12];
  long counter;
  byte[] jceSealed;
  byte[] jceDecryptNonce = new byte[12];
  byte[] jceWork = new byte[PACKET + 64];

  @Setup
  public void setup() throws Exception {
    EspTransform t = EspTransform.valueOf(transform);
    byte[] enc = new byte[t.encKeymatBytes()];
    byte[] integ = new byte[t.integKeyBytes()];
    java.util.Arrays.fill(enc, (byte) 7);
    java.util.Arrays.fill(integ, (byte) 9);
    InetSocketAddress a = new InetSocketAddress("198.18.0.1", 4500);
    InetSocketAddress b = new InetSocketAddress("198.18.0.2", 4500);
    tx = new EspEngine(new TunnelSlots(), 1);
    rx = new EspEngine(new TunnelSlots(), 1);
    tx.addSa(new EspSaParams("t", Direction.OUTBOUND, SPI, t, enc, integ, true, a, b, 0, 0));
    // Window 0: the benchmark decrypts the same packet repeatedly, which a window would reject.
    rx.addSa(new EspSaParams("t", Direction.INBOUND, SPI, t, enc, integ, true, b, a, 0, 0));
    slot = tx.slots().slotOf("t");
    out = new PacketBuffer();
    in = new PacketBuffer();
    fillPacket(out);
    if (tx.encapsulate(slot, out, 0) != null) {
      throw new IllegalStateException("setup encapsulate failed");
    }
    sealed = java.util.Arrays.copyOfRange(out.data, out.offset, out.offset + out.length);
    sealedLen = sealed.length;

    jce = Cipher.getInstance("AES/GCM/NoPadding");
    jceKey = new SecretKeySpec(new byte[32], "AES");
    jceDecryptNonce[11] = 1;
    jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, jceDecryptNonce));
    jce.updateAAD(jceBuf, 0, 8);
    jceSealed = jce.doFinal(jceBuf, 16, PACKET);
  }

  static void fillPacket(PacketBuffer pb) {
    int o = PacketBuffer.HEADROOM;
    pb.data[o] = 0x45;
    Ipv4.put16(pb.data, o + 2, PACKET);
    pb.data[o + 9] = (byte) Ipv4.PROTO_UDP;
    Ipv4.put32(pb.data, o + 12, 0xC6120102);
    Ipv4.put32(pb.data, o + 16, 0xC6120202);
    pb.set(o, PACKET);
  }

  @TearDown
  public void tearDown() {
    tx.close();
    rx.close();
  }

  @Benchmark
  public int espEncapsulate() {
    out.set(PacketBuffer.HEADROOM, PACKET);
    Drop d = tx.encapsulate(slot, out, 0);
    return d == null ? out.length : -1;
  }

  @Benchmark
  public int espDecapsulate() {
    System.arraycopy(sealed, 0, in.data, 0, sealedLen);
    in.set(0, sealedLen);
    Drop d = rx.decapsulate(in, 0, null);
    return d == null ? in.length : -1;
  }

  /** Out of place into a send batch, as segments of a TSO super-segment are sealed. */
  @Benchmark
  public int espEncapsulateIntoBatch() {
    out.set(PacketBuffer.HEADROOM, PACKET);
    Drop d = tx.encapsulateInto(slot, out, 0, batch, 0);
    return d == null ? out.sealedLength : -1;
  }

  /** Per-segment TCP checksum work of userspace segmentation (RFC 1071 over 1400 bytes). */
  @Benchmark
  public int checksum1400() {
    return dev.vpngw.dataplane.packet.Checksum.fold(dev.vpngw.dataplane.packet.Checksum.add(jceBuf, 16, PACKET, 0));
  }

  /**
   * The floor for the receive side: JCE AES-256-GCM decryption (tag check) of 1400 bytes plus an
   * 8-byte AAD, copied into the work buffer first as {@link #espDecapsulate} copies its packet.
   * The JCE's decryption costs more than its encryption (it holds the ciphertext back until the tag
   * is verified), so decapsulation is compared with this, not with the encrypt floor.
   */
  @Benchmark
  public int bareJceAes256GcmDecrypt() throws Exception {
    System.arraycopy(jceSealed, 0, jceWork, 16, jceSealed.length);
    jce.init(Cipher.DECRYPT_MODE, jceKey, new GCMParameterSpec(128, jceDecryptNonce));
    jce.updateAAD(jceBuf, 0, 8);
    return jce.doFinal(jceWork, 16, jceSealed.length, jceWork, 16);
  }

  /** Bare JCE with heap ByteBuffers (the ByteBuffer overloads instead of byte[]). */
  @Benchmark
  public int bareJceAes256GcmEncryptHeapByteBuffer() throws Exception {
    nextNonce();
    jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, nonce));
    heapIn.clear().position(0).limit(8);
    jce.updateAAD(heapIn);
    heapIn.limit(16 + PACKET).position(16);
    heapOut.clear();
    return jce.doFinal(heapIn, heapOut);
  }

  /** Bare JCE with direct (off-heap) ByteBuffers, as a native socket buffer would be. */
  @Benchmark
  public int bareJceAes256GcmEncryptDirectByteBuffer() throws Exception {
    nextNonce();
    jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, nonce));
    directIn.clear().position(0).limit(8);
    jce.updateAAD(directIn);
    directIn.limit(16 + PACKET).position(16);
    directOut.clear();
    return jce.doFinal(directIn, directOut);
  }

  private void nextNonce() {
    long c = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (c >>> (56 - 8 * i));
    }
  }

  /** The floor: JCE AES-256-GCM over the same 1400 bytes plus an 8-byte AAD, fresh nonce each time. */
  @Benchmark
  public int bareJceAes256GcmEncrypt() throws Exception {
    long c = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (c >>> (56 - 8 * i));
    }
    jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, nonce));
    jce.updateAAD(jceBuf, 0, 8);
    return jce.doFinal(jceBuf, 16, PACKET, jceBuf, 16);
  }
}
