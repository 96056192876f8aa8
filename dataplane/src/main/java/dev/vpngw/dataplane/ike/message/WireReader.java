package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;

/** Bounds-checked big-endian reads that name the field when input is short (never an index crash). */
final class WireReader {
  private final byte[] buf;
  private int pos;
  private final int end;

  WireReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  WireReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  int remaining() {
    return end - pos;
  }

  int position() {
    return pos;
  }

  private void need(int n, String field) throws InvalidSyntaxException {
    if (n < 0 || end - pos < n) {
      throw new InvalidSyntaxException(field + ": needs " + n + " bytes, " + (end - pos) + " left");
    }
  }

  int u8(String field) throws InvalidSyntaxException {
    need(1, field);
    return buf[pos++] & 0xff;
  }

  int u16(String field) throws InvalidSyntaxException {
    need(2, field);
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  int u32(String field) throws InvalidSyntaxException {
    need(4, field);
    int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  long u64(String field) throws InvalidSyntaxException {
    need(8, field);
    long hi = u32(field) & 0xffffffffL;
    long lo = u32(field) & 0xffffffffL;
    return (hi << 32) | lo;
  }

  byte[] bytes(int n, String field) throws InvalidSyntaxException {
    need(n, field);
    byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  byte[] rest() {
    byte[] out = java.util.Arrays.copyOfRange(buf, pos, end);
    pos = end;
    return out;
  }

  void skip(int n, String field) throws InvalidSyntaxException {
    need(n, field);
    pos += n;
  }

  /** A sub-reader over the next {@code n} bytes, advancing this one past them. */
  WireReader slice(int n, String field) throws InvalidSyntaxException {
    need(n, field);
    WireReader r = new WireReader(buf, pos, n);
    pos += n;
    return r;
  }
}
