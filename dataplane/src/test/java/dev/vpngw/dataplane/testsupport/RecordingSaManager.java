package dev.vpngw.dataplane.testsupport;

import dev.vpngw.dataplane.esp.EspSaParams;
import dev.vpngw.dataplane.esp.SaEvents;
import dev.vpngw.dataplane.esp.SaManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory {@link SaManager} for IKE tests (strongSwan's mock_ipsec): remembers installed SAs,
 * the active outbound SPI per tunnel and the order of every call, so tests can assert
 * make-before-break and that nothing is left behind.
 */
public final class RecordingSaManager implements SaManager {
  private final Map<String, EspSaParams> sas = new ConcurrentHashMap<>();
  private final Map<String, Integer> activeOutbound = new ConcurrentHashMap<>();
  private final List<String> calls = new ArrayList<>();
  private volatile SaEvents listener;
  /** Packets "received" per inbound SA and when the last one came (System.nanoTime), see {@link #receiveEsp}. */
  private final Map<String, long[]> inboundTraffic = new ConcurrentHashMap<>();

  private static String key(EspSaParams.Direction d, int spi) {
    return d + "/" + Integer.toHexString(spi);
  }

  @Override
  public void addSa(EspSaParams p) {
    sas.put(key(p.direction(), p.spi()), p);
    log("add " + key(p.direction(), p.spi()));
  }

  @Override
  public void switchOutbound(String tunnel, int spi) {
    if (!sas.containsKey(key(EspSaParams.Direction.OUTBOUND, spi))) {
      throw new IllegalStateException("switchOutbound to unknown SPI " + Integer.toHexString(spi));
    }
    activeOutbound.put(tunnel, spi);
    log("switch " + tunnel + " " + Integer.toHexString(spi));
  }

  @Override
  public void deleteSa(EspSaParams.Direction direction, int spi) {
    sas.remove(key(direction, spi));
    activeOutbound.values().removeIf(v -> v == spi && direction == EspSaParams.Direction.OUTBOUND);
    log("delete " + key(direction, spi));
  }

  @Override
  public void deleteTunnel(String tunnel) {
    sas.values().removeIf(p -> p.tunnel().equals(tunnel));
    activeOutbound.remove(tunnel);
    log("deleteTunnel " + tunnel);
  }

  @Override
  public Optional<SaStats> query(EspSaParams.Direction direction, int spi) {
    if (!sas.containsKey(key(direction, spi))) {
      return Optional.empty();
    }
    long[] t = inboundTraffic.getOrDefault(key(direction, spi), new long[2]);
    synchronized (t) {
      return Optional.of(new SaStats(t[0], 0, 0, 0, t[1]));
    }
  }

  /** As if the packet path had authenticated one ESP packet on inbound SA {@code spi} just now. */
  public void receiveEsp(int spi) {
    long[] t = inboundTraffic.computeIfAbsent(key(EspSaParams.Direction.INBOUND, spi), k -> new long[2]);
    synchronized (t) {
      t[0]++;
      t[1] = System.nanoTime();
    }
  }

  @Override
  public void setEventListener(SaEvents listener) {
    this.listener = listener;
  }

  public SaEvents listener() {
    return listener;
  }

  private synchronized void log(String s) {
    calls.add(s);
  }

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  public List<EspSaParams> installed() {
    return List.copyOf(sas.values());
  }

  public Optional<EspSaParams> get(EspSaParams.Direction d, int spi) {
    return Optional.ofNullable(sas.get(key(d, spi)));
  }

  public Optional<Integer> activeOutbound(String tunnel) {
    return Optional.ofNullable(activeOutbound.get(tunnel));
  }
}
