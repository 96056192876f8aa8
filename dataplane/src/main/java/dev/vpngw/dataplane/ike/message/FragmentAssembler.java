package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import java.io.ByteArrayOutputStream;
import java.util.TreeMap;

/**
 * Collects the decrypted fragments of one message (RFC 7383 §2.6). One instance per IKE SA and
 * direction; a fragment of a newer message ID discards an incomplete older one.
 */
public final class FragmentAssembler {
  /** Upper bound on fragments held, so a peer cannot make us buffer without limit. */
  public static final int MAX_FRAGMENTS = 64;

  private int messageId = -1;
  private boolean response;
  private int total;
  private int firstInner;
  private final TreeMap<Integer, byte[]> parts = new TreeMap<>();

  /** {@code complete} is the joined inner payload chain, null while fragments are missing. */
  public record Progress(int received, int firstInner, byte[] complete) {}

  Progress add(IkeHeader h, int num, int totalFragments, int firstInnerType, byte[] inner) throws InvalidSyntaxException {
    if (totalFragments > MAX_FRAGMENTS) {
      throw new InvalidSyntaxException("SKF: " + totalFragments + " fragments exceed limit " + MAX_FRAGMENTS);
    }
    if (h.messageId() != messageId || h.isResponse() != response) {
      parts.clear();
      messageId = h.messageId();
      response = h.isResponse();
      total = totalFragments;
    }
    if (totalFragments != total) {
      throw new InvalidSyntaxException("SKF: total changed from " + total + " to " + totalFragments);
    }
    if (num == 1) {
      firstInner = firstInnerType;
    }
    parts.putIfAbsent(num, inner);
    if (parts.size() < total) {
      return new Progress(parts.size(), 0, null);
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    parts.values().forEach(all::writeBytes);
    parts.clear();
    messageId = -1;
    return new Progress(total, firstInner, all.toByteArray());
  }
}
