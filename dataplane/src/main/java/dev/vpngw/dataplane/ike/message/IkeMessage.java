package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import dev.vpngw.dataplane.ike.error.UnsupportedCriticalPayloadException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An IKEv2 message: header plus payloads. For protected exchanges the payloads listed here are the
 * ones inside SK; {@link #encodeProtected} wraps them, {@link #decode} unwraps them.
 */
public record IkeMessage(IkeHeader header, List<IkePayload> payloads) {
  public IkeMessage {
    payloads = List.copyOf(payloads);
  }

  // ---- access helpers used by the protocol tasks ----

  public <T extends IkePayload> Optional<T> first(Class<T> type) {
    return payloads.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  public <T extends IkePayload> List<T> all(Class<T> type) {
    return payloads.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public Optional<NotifyPayload> notify(NotifyType t) {
    return all(NotifyPayload.class).stream().filter(n -> n.is(t)).findFirst();
  }

  public Optional<NotifyPayload> firstErrorNotify() {
    return all(NotifyPayload.class).stream().filter(NotifyPayload::isError).findFirst();
  }

  public Optional<TsPayload> ts(boolean initiator) {
    return all(TsPayload.class).stream().filter(t -> t.initiator() == initiator).findFirst();
  }

  public Optional<IdPayload> id(boolean initiator) {
    return all(IdPayload.class).stream().filter(t -> t.initiator() == initiator).findFirst();
  }

  // ---- encoding ----

  /** Encodes without protection (IKE_SA_INIT). */
  public byte[] encode() {
    byte[] chain = encodeChain(payloads);
    IkeHeader h = header.with(payloads.isEmpty() ? 0 : payloads.getFirst().type(), IkeHeader.SIZE + chain.length);
    return concat(h.encode(), chain);
  }

  /** Encodes all payloads inside one SK payload. */
  public byte[] encodeProtected(MessageProtection p) {
    byte[] plaintext = pad(encodeChain(payloads), p.blockSize());
    int first = payloads.isEmpty() ? 0 : payloads.getFirst().type();
    byte[] iv = p.newIv();
    int skLen = 4 + iv.length + plaintext.length + p.icvLength();
    IkeHeader h = header.with(PayloadType.SK.value(), IkeHeader.SIZE + skLen);
    byte[] aad = concat(h.encode(), new WireWriter().u8(first).u8(0).u16(skLen).toByteArray());
    return concat(aad, iv, p.seal(aad, iv, plaintext));
  }

  /**
   * Encodes the protected message as RFC 7383 fragments when it exceeds {@code maxDatagram};
   * otherwise returns one ordinary SK message.
   */
  public List<byte[]> encodeProtectedFragments(MessageProtection p, int maxDatagram) {
    byte[] whole = encodeProtected(p);
    if (whole.length <= maxDatagram) {
      return List.of(whole);
    }
    byte[] inner = encodeChain(payloads);
    int first = payloads.isEmpty() ? 0 : payloads.getFirst().type();
    int overhead = IkeHeader.SIZE + 8 + p.ivLength() + p.icvLength() + p.blockSize();
    int room = maxDatagram - overhead;
    if (p.blockSize() > 1) {
      room -= room % p.blockSize();
    }
    room -= 1; // pad-length byte
    if (room < 1) {
      throw new IllegalArgumentException("fragment size " + maxDatagram + " too small");
    }
    int total = (inner.length + room - 1) / room;
    List<byte[]> out = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      byte[] chunk = Arrays.copyOfRange(inner, i * room, Math.min(inner.length, (i + 1) * room));
      byte[] plaintext = pad(chunk, p.blockSize());
      byte[] iv = p.newIv();
      int skfLen = 8 + iv.length + plaintext.length + p.icvLength();
      IkeHeader h = header.with(PayloadType.SKF.value(), IkeHeader.SIZE + skfLen);
      byte[] aad = concat(h.encode(),
          new WireWriter().u8(i == 0 ? first : 0).u8(0).u16(skfLen).u16(i + 1).u16(total).toByteArray());
      out.add(concat(aad, iv, p.seal(aad, iv, plaintext)));
    }
    return out;
  }

  static byte[] encodeChain(List<IkePayload> list) {
    WireWriter w = new WireWriter();
    for (int i = 0; i < list.size(); i++) {
      IkePayload pl = list.get(i);
      byte[] body = pl.encodeBody();
      int next = i + 1 < list.size() ? list.get(i + 1).type() : 0;
      w.u8(next).u8(pl.critical() ? 0x80 : 0).u16(4 + body.length).bytes(body);
    }
    return w.toByteArray();
  }

  private static byte[] pad(byte[] inner, int block) {
    int padLen = block <= 1 ? 0 : (block - (inner.length + 1) % block) % block;
    byte[] out = Arrays.copyOf(inner, inner.length + padLen + 1);
    out[out.length - 1] = (byte) padLen;
    return out;
  }

  // ---- decoding ----

  /**
   * Decodes a datagram. {@code inbound} opens SK/SKF (null before keys exist); {@code fragments}
   * collects RFC 7383 fragments (null to reject fragmented messages).
   */
  public static DecodeResult decode(byte[] datagram, MessageProtection inbound, FragmentAssembler fragments) {
    IkeHeader h;
    try {
      h = IkeHeader.decode(datagram);
    } catch (IkeProtocolException e) {
      return new DecodeResult.UnprotectedError(null, e);
    }
    List<IkePayload> outer = new ArrayList<>();
    int next = h.nextPayload();
    WireReader r = new WireReader(datagram, IkeHeader.SIZE, datagram.length - IkeHeader.SIZE);
    try {
      while (next != 0) {
        int start = r.position();
        int following = r.u8("payload.nextPayload");
        boolean critical = (r.u8("payload.flags") & 0x80) != 0;
        int len = r.u16("payload.length");
        if (len < 4) {
          throw new InvalidSyntaxException("payload type " + next + ": length " + len + " < 4");
        }
        WireReader body = r.slice(len - 4, "payload type " + next + " body");
        if (next == PayloadType.SK.value() || next == PayloadType.SKF.value()) {
          if (r.remaining() != 0) {
            throw new InvalidSyntaxException("SK/SKF payload is not the last payload");
          }
          byte[] aad = Arrays.copyOfRange(datagram, 0, start + 4 + (next == PayloadType.SKF.value() ? 4 : 0));
          return openProtected(h, outer, next, following, body, aad, inbound, fragments);
        }
        outer.add(decodePayload(next, critical, following, body));
        next = following;
      }
      if (r.remaining() != 0) {
        throw new InvalidSyntaxException(r.remaining() + " bytes after the last payload");
      }
      return new DecodeResult.Ok(new IkeMessage(h, outer));
    } catch (IkeProtocolException e) {
      return new DecodeResult.UnprotectedError(h, e);
    }
  }

  private static DecodeResult openProtected(IkeHeader h, List<IkePayload> outer, int type, int firstInner,
      WireReader body, byte[] aad, MessageProtection inbound, FragmentAssembler fragments) throws IkeProtocolException {
    if (inbound == null) {
      throw new InvalidSyntaxException("protected payload before keys exist");
    }
    int fragNum = 1;
    int fragTotal = 1;
    if (type == PayloadType.SKF.value()) {
      if (fragments == null) {
        throw new InvalidSyntaxException("fragmented message but fragmentation was not negotiated");
      }
      fragNum = body.u16("SKF.fragmentNumber");
      fragTotal = body.u16("SKF.totalFragments");
      if (fragNum == 0 || fragTotal == 0 || fragNum > fragTotal) {
        throw new InvalidSyntaxException("SKF: fragment " + fragNum + " of " + fragTotal);
      }
    }
    int iv = inbound.ivLength();
    byte[] ivBytes = body.bytes(iv, "SK.iv");
    byte[] rest = body.rest();
    if (rest.length < inbound.icvLength() + 1
        || (inbound.blockSize() > 1 && (rest.length - inbound.icvLength()) % inbound.blockSize() != 0)) {
      throw new InvalidSyntaxException("SK: " + rest.length + " bytes of ciphertext and ICV do not fit the cipher");
    }
    byte[] plain;
    try {
      plain = inbound.open(aad, ivBytes, rest);
    } catch (MessageProtection.IntegrityException e) {
      throw new InvalidSyntaxException("SK: integrity check failed");
    }
    // From here the message is authentic: errors are answered (protected).
    try {
      int padLen = plain[plain.length - 1] & 0xff;
      if (padLen + 1 > plain.length) {
        throw new InvalidSyntaxException("SK: pad length " + padLen + " exceeds plaintext");
      }
      byte[] inner = Arrays.copyOf(plain, plain.length - padLen - 1);
      if (type == PayloadType.SKF.value()) {
        FragmentAssembler.Progress prog = fragments.add(h, fragNum, fragTotal, firstInner, inner);
        if (prog.complete() == null) {
          return new DecodeResult.Partial(h, prog.received(), fragTotal);
        }
        return finishInner(h, outer, prog.firstInner(), prog.complete());
      }
      return finishInner(h, outer, firstInner, inner);
    } catch (IkeProtocolException e) {
      return new DecodeResult.ProtectedError(h, e);
    }
  }

  private static DecodeResult finishInner(IkeHeader h, List<IkePayload> outer, int firstInner, byte[] inner)
      throws IkeProtocolException {
    List<IkePayload> all = new ArrayList<>(outer);
    all.addAll(decodeChain(firstInner, new WireReader(inner)));
    return new DecodeResult.Ok(new IkeMessage(h, all));
  }

  static List<IkePayload> decodeChain(int first, WireReader r) throws IkeProtocolException {
    List<IkePayload> list = new ArrayList<>();
    int next = first;
    while (next != 0) {
      int following = r.u8("payload.nextPayload");
      boolean critical = (r.u8("payload.flags") & 0x80) != 0;
      int len = r.u16("payload.length");
      if (len < 4) {
        throw new InvalidSyntaxException("payload type " + next + ": length " + len + " < 4");
      }
      WireReader body = r.slice(len - 4, "payload type " + next + " body");
      if (next == PayloadType.SK.value() || next == PayloadType.SKF.value()) {
        throw new InvalidSyntaxException("nested SK payload");
      }
      list.add(decodePayload(next, critical, following, body));
      next = following;
    }
    if (r.remaining() != 0) {
      throw new InvalidSyntaxException(r.remaining() + " bytes after the last inner payload");
    }
    return list;
  }

  private static IkePayload decodePayload(int type, boolean critical, int following, WireReader body)
      throws IkeProtocolException {
    PayloadType t = PayloadType.of(type);
    if (t == null || t == PayloadType.CERT || t == PayloadType.CERTREQ || t == PayloadType.EAP) {
      if (critical && t == null) {
        throw new UnsupportedCriticalPayloadException(type);
      }
      return new UnknownPayload(type, critical, body.rest());
    }
    return switch (t) {
      case SA -> SaPayload.decode(body);
      case KE -> KePayload.decode(body);
      case IDI -> IdPayload.decode(true, body);
      case IDR -> IdPayload.decode(false, body);
      case AUTH -> AuthPayload.decode(body);
      case NONCE -> NoncePayload.decode(body);
      case NOTIFY -> NotifyPayload.decode(body);
      case DELETE -> DeletePayload.decode(body);
      case VENDOR -> VendorPayload.decode(body);
      case TSI -> TsPayload.decode(true, body);
      case TSR -> TsPayload.decode(false, body);
      case CP -> CpPayload.decode(body);
      default -> throw new InvalidSyntaxException("payload type " + type + " not allowed here");
    };
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  @Override
  public String toString() {
    return header + " " + payloads;
  }
}
