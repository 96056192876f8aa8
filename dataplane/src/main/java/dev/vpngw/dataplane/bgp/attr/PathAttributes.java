package dev.vpngw.dataplane.bgp.attr;

import java.util.List;

/**
 * The path attributes of one UPDATE, decoded. Absent attributes are null (or empty lists). The
 * record is immutable and compares by value, so UPDATE packing can group NLRI by attributes.
 */
public record PathAttributes(
    Origin origin,
    AsPath asPath,
    Integer nextHop,
    Long med,
    Long localPref,
    List<Integer> communities,
    MpReach mpReach,
    MpUnreach mpUnreach,
    AsPath as4Path,
    List<UnknownAttribute> others) {

  public static final PathAttributes EMPTY = new PathAttributes(null, null, null, null, null, List.of(), null, null, null, List.of());

  public PathAttributes {
    communities = List.copyOf(communities);
    others = List.copyOf(others);
  }

  public boolean isEmpty() {
    return equals(EMPTY);
  }

  public boolean onlyMpUnreach() {
    return mpUnreach != null && withMpUnreach(null).isEmpty();
  }

  public PathAttributes withOrigin(Origin v) {
    return new PathAttributes(v, asPath, nextHop, med, localPref, communities, mpReach, mpUnreach, as4Path, others);
  }

  public PathAttributes withAsPath(AsPath v) {
    return new PathAttributes(origin, v, nextHop, med, localPref, communities, mpReach, mpUnreach, as4Path, others);
  }

  public PathAttributes withNextHop(Integer v) {
    return new PathAttributes(origin, asPath, v, med, localPref, communities, mpReach, mpUnreach, as4Path, others);
  }

  public PathAttributes withMed(Long v) {
    return new PathAttributes(origin, asPath, nextHop, v, localPref, communities, mpReach, mpUnreach, as4Path, others);
  }

  public PathAttributes withLocalPref(Long v) {
    return new PathAttributes(origin, asPath, nextHop, med, v, communities, mpReach, mpUnreach, as4Path, others);
  }

  public PathAttributes withCommunities(List<Integer> v) {
    return new PathAttributes(origin, asPath, nextHop, med, localPref, v, mpReach, mpUnreach, as4Path, others);
  }

  public PathAttributes withMpReach(MpReach v) {
    return new PathAttributes(origin, asPath, nextHop, med, localPref, communities, v, mpUnreach, as4Path, others);
  }

  public PathAttributes withMpUnreach(MpUnreach v) {
    return new PathAttributes(origin, asPath, nextHop, med, localPref, communities, mpReach, v, as4Path, others);
  }

  public PathAttributes withAs4Path(AsPath v) {
    return new PathAttributes(origin, asPath, nextHop, med, localPref, communities, mpReach, mpUnreach, v, others);
  }

  public PathAttributes withOthers(List<UnknownAttribute> v) {
    return new PathAttributes(origin, asPath, nextHop, med, localPref, communities, mpReach, mpUnreach, as4Path, v);
  }
}
