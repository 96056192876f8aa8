package dev.vpngw.crds.validation;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.Optional;

/** An IPv4/IPv6 prefix from a manifest, parsed with seancfoley ipaddress (not for the packet path). */
public record Prefix(String text, IPAddress block) {

  /** A parse result: the prefix, or why the text is not a network prefix. */
  public sealed interface Parsed permits Ok, Bad {}

  public record Ok(Prefix prefix) implements Parsed {}

  public record Bad(String problem) implements Parsed {}

  /** Parses "a.b.c.d/len"; host bits must be zero (as Azure requires). */
  public static Parsed parse(String text) {
    if (text == null || !text.contains("/")) {
      return new Bad("'" + text + "' is not a prefix in CIDR notation (address/length)");
    }
    IPAddress address;
    try {
      address = new IPAddressString(text).toAddress();
    } catch (AddressStringException e) {
      return new Bad("'" + text + "' is not a valid prefix: " + e.getMessage());
    }
    if (!address.isPrefixed()) {
      return new Bad("'" + text + "' is not a prefix in CIDR notation (address/length)");
    }
    if (!address.getLower().isZeroHost()) {
      return new Bad("'" + text + "' has host bits set; the prefix is " + address.toZeroHost().toPrefixLengthString());
    }
    return new Ok(new Prefix(text, address.toPrefixBlock()));
  }

  /** The parsed prefix, or empty for invalid text (reported separately). */
  public static Optional<Prefix> tryParse(String text) {
    return parse(text) instanceof Ok ok ? Optional.of(ok.prefix()) : Optional.empty();
  }

  /** CIDR blocks either nest or are disjoint. */
  public boolean overlaps(Prefix other) {
    if (block.isIPv4() != other.block.isIPv4()) {
      return false;
    }
    return block.contains(other.block) || other.block.contains(block);
  }

  public boolean contains(Prefix other) {
    return block.isIPv4() == other.block.isIPv4() && block.contains(other.block);
  }

  @Override
  public String toString() {
    return text;
  }
}
