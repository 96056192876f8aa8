package dev.vpngw.dataplane.bgp.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vpngw.dataplane.bgp.attr.AttributeContext;

/**
 * Jazzer target for the BGP decoder: any byte sequence must decode or fail with
 * {@link BgpProtocolException} (→ NOTIFICATION), never with another exception. The fuzzer picks
 * the message type and 2/4-octet AS mode and builds a well-formed header, so its mutations reach
 * the body codecs instead of dying at the marker check.
 *
 * <p>In the normal suite this replays the seeds in {@code BgpMessageFuzzTestInputs/decode} (a
 * regression run of a second). Long run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl dataplane -am test -Dtest=BgpMessageFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Djazzer.max_duration=30m} (findings land next to the seeds as crash-* files).
 */
class BgpMessageFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decode(FuzzedDataProvider data) {
    int type = data.consumeInt(0, 6);
    boolean fourOctet = data.consumeBoolean();
    byte[] body = data.consumeRemainingAsBytes();
    int len = Math.min(BgpMessageCodec.MAX_LENGTH, BgpMessageCodec.HEADER + body.length);
    byte[] frame = new byte[len];
    java.util.Arrays.fill(frame, 0, 16, (byte) 0xff);
    frame[16] = (byte) (len >>> 8);
    frame[17] = (byte) len;
    frame[18] = (byte) type;
    System.arraycopy(body, 0, frame, BgpMessageCodec.HEADER, len - BgpMessageCodec.HEADER);
    AttributeContext ctx = new AttributeContext(fourOctet, true);
    try {
      BgpMessage m = BgpMessageCodec.decode(frame, ctx);
      // Whatever decodes must re-encode without blowing up (UPDATE sizes may grow: AS4_PATH).
      if (!(m instanceof BgpMessage.Update)) {
        BgpMessageCodec.encode(m, ctx);
      }
    } catch (BgpProtocolException expected) {
      // a NOTIFICATION for the peer
    }
  }
}
