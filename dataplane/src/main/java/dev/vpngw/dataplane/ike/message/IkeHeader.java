package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.error.InvalidMajorVersionException;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;

/**
 * The fixed 28-byte IKE header (RFC 7296 §3.1).
 *
 * @param exchangeType raw number; {@link #exchange()} names it
 * @param flags        I (0x08, sent by the original initiator), R (0x20, response)
 */
public record IkeHeader(long initiatorSpi, long responderSpi, int nextPayload, int majorVersion, int minorVersion,
    int exchangeType, int flags, int messageId, int length) {
  public static final int SIZE = 28;
  public static final int FLAG_INITIATOR = 0x08;
  public static final int FLAG_VERSION = 0x10;
  public static final int FLAG_RESPONSE = 0x20;

  public static IkeHeader of(long spiI, long spiR, ExchangeType exchange, boolean fromOriginalInitiator,
      boolean response, int messageId) {
    int flags = (fromOriginalInitiator ? FLAG_INITIATOR : 0) | (response ? FLAG_RESPONSE : 0);
    return new IkeHeader(spiI, spiR, 0, 2, 0, exchange.value(), flags, messageId, 0);
  }

  public ExchangeType exchange() {
    return ExchangeType.of(exchangeType);
  }

  public boolean isResponse() {
    return (flags & FLAG_RESPONSE) != 0;
  }

  public boolean fromOriginalInitiator() {
    return (flags & FLAG_INITIATOR) != 0;
  }

  IkeHeader with(int next, int len) {
    return new IkeHeader(initiatorSpi, responderSpi, next, majorVersion, minorVersion, exchangeType, flags, messageId, len);
  }

  public byte[] encode() {
    return new WireWriter().u64(initiatorSpi).u64(responderSpi).u8(nextPayload)
        .u8((majorVersion << 4) | minorVersion).u8(exchangeType).u8(flags).u32(messageId).u32(length).toByteArray();
  }

  /**
   * Decodes and validates the header of a datagram: length field must match the datagram, major
   * version must be 2, the exchange type must be known.
   */
  public static IkeHeader decode(byte[] datagram) throws IkeProtocolException {
    WireReader r = new WireReader(datagram);
    long spiI = r.u64("header.initiatorSpi");
    long spiR = r.u64("header.responderSpi");
    int next = r.u8("header.nextPayload");
    int ver = r.u8("header.version");
    int exch = r.u8("header.exchangeType");
    int flags = r.u8("header.flags");
    int mid = r.u32("header.messageId");
    int len = r.u32("header.length");
    IkeHeader h = new IkeHeader(spiI, spiR, next, ver >>> 4, ver & 0xf, exch, flags, mid, len);
    if (h.majorVersion != 2) {
      throw new InvalidMajorVersionException("header.version: major version " + h.majorVersion + " is not 2");
    }
    if (len != datagram.length) {
      throw new InvalidSyntaxException("header.length: " + Integer.toUnsignedString(len) + " but datagram has " + datagram.length);
    }
    if (h.exchange() == null) {
      throw new InvalidSyntaxException("header.exchangeType: unknown exchange " + exch);
    }
    return h;
  }

  @Override
  public String toString() {
    ExchangeType e = exchange();
    return String.format("%s %s #%d %016x/%016x%s", e != null ? e : "EXCH(" + exchangeType + ")",
        isResponse() ? "response" : "request", Integer.toUnsignedLong(messageId), initiatorSpi, responderSpi,
        fromOriginalInitiator() ? " I" : "");
  }
}
