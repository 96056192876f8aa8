package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.BgpProtocolException;
import dev.vpngw.dataplane.bgp.wire.TreatAsWithdrawException;
import java.nio.ByteBuffer;

/**
 * One path attribute's value codec. The attribute header (flags, type, length) is handled by
 * {@link PathAttributesCodec}; {@code value} holds exactly the attribute's bytes.
 */
public interface AttributeCodec<T> {
  int FLAG_OPTIONAL = 0x80;
  int FLAG_TRANSITIVE = 0x40;
  int FLAG_PARTIAL = 0x20;
  int FLAG_EXTENDED_LENGTH = 0x10;

  int type();

  /** Optional and transitive bits the attribute must carry (RFC 7606 §3 c). */
  int flags();

  T decode(ByteBuffer value, AttributeContext ctx) throws TreatAsWithdrawException, BgpProtocolException;

  void encode(T value, ByteBuffer out, AttributeContext ctx);
}
