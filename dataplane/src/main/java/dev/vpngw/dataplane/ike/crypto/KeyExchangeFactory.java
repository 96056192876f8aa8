package dev.vpngw.dataplane.ike.crypto;

/** Creates key exchanges; tests inject a deterministic one (strongSwan's mock_dh). */
@FunctionalInterface
public interface KeyExchangeFactory {
  KeyExchange create(DhGroup group);
}
