package dev.vpngw.dataplane.esp;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stable small integers for tunnel names ("site-a/0" → 3). The routing table stores slots in its
 * next hops and the ESP engine indexes its outbound SAs by slot, so the packet path never hashes a
 * String. Shared by the routing table and the engine; a slot stays assigned for the process life.
 */
public final class TunnelSlots {
  private final Map<String, Integer> byName = new HashMap<>();
  private final Map<Integer, String> bySlot = new HashMap<>();

  /** The slot of {@code tunnel}, assigning the next free one on first use. */
  public synchronized int slotOf(String tunnel) {
    Integer slot = byName.get(tunnel);
    if (slot == null) {
      slot = byName.size();
      byName.put(tunnel, slot);
      bySlot.put(slot, tunnel);
    }
    return slot;
  }

  public synchronized Optional<String> tunnelOf(int slot) {
    return Optional.ofNullable(bySlot.get(slot));
  }

  public synchronized int size() {
    return byName.size();
  }
}
