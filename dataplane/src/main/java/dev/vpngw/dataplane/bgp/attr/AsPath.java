package dev.vpngw.dataplane.bgp.attr;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** AS_PATH as segments of unsigned 32-bit ASNs held in longs. */
public record AsPath(List<Segment> segments) {
  public static final AsPath EMPTY = new AsPath(List.of());

  public AsPath {
    segments = List.copyOf(segments);
  }

  public enum SegmentType {
    AS_SET(1),
    AS_SEQUENCE(2);

    final int code;

    SegmentType(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  public record Segment(SegmentType type, List<Long> asns) {
    public Segment {
      asns = List.copyOf(asns);
    }
  }

  public static AsPath sequence(long... asns) {
    List<Long> l = new ArrayList<>();
    for (long a : asns) {
      l.add(a);
    }
    return l.isEmpty() ? EMPTY : new AsPath(List.of(new Segment(SegmentType.AS_SEQUENCE, l)));
  }

  /** Path length for best-path selection: a set counts as one (RFC 4271 §9.1.2.2). */
  public int length() {
    int n = 0;
    for (Segment s : segments) {
      n += s.type == SegmentType.AS_SET ? 1 : s.asns.size();
    }
    return n;
  }

  public boolean contains(long asn) {
    for (Segment s : segments) {
      if (s.asns.contains(asn)) {
        return true;
      }
    }
    return false;
  }

  /** The neighbouring AS (first AS of a leading sequence), or -1. */
  public long firstAs() {
    if (segments.isEmpty() || segments.getFirst().type != SegmentType.AS_SEQUENCE || segments.getFirst().asns.isEmpty()) {
      return -1;
    }
    return segments.getFirst().asns.getFirst();
  }

  /** eBGP export: our ASN in front of the path. */
  public AsPath prepend(long asn) {
    List<Segment> out = new ArrayList<>();
    if (!segments.isEmpty() && segments.getFirst().type == SegmentType.AS_SEQUENCE && segments.getFirst().asns.size() < 255) {
      List<Long> first = new ArrayList<>();
      first.add(asn);
      first.addAll(segments.getFirst().asns);
      out.add(new Segment(SegmentType.AS_SEQUENCE, first));
      out.addAll(segments.subList(1, segments.size()));
    } else {
      out.add(new Segment(SegmentType.AS_SEQUENCE, List.of(asn)));
      out.addAll(segments);
    }
    return new AsPath(out);
  }

  /** Azure's asPath string: ASNs separated by '-' ({a b} for sets). */
  public String azureString() {
    return segments.stream()
        .map(s -> s.type == SegmentType.AS_SET
            ? s.asns.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"))
            : s.asns.stream().map(String::valueOf).collect(Collectors.joining("-")))
        .collect(Collectors.joining("-"));
  }

  @Override
  public String toString() {
    return azureString();
  }
}
