package dev.vpngw.dataplane.ike.message;

import java.io.ByteArrayOutputStream;

/** Big-endian writes into a growing buffer. */
final class WireWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

  WireWriter u8(int v) {
    out.write(v);
    return this;
  }

  WireWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  WireWriter u32(int v) {
    u16(v >>> 16);
    return u16(v);
  }

  WireWriter u64(long v) {
    u32((int) (v >>> 32));
    return u32((int) v);
  }

  WireWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
