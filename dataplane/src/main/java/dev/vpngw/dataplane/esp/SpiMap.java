package dev.vpngw.dataplane.esp;

import java.util.function.Consumer;

/**
 * SPI → inbound SA for the receive path: an open-addressing table published as an immutable
 * snapshot. Lookups are lock-free and allocation-free (one volatile read, a few array probes);
 * control-plane changes rebuild the snapshot under a lock (rare: per rekey).
 */
final class SpiMap {
  private record Table(int[] keys, InboundSa[] values, int mask, int size) {}

  private volatile Table table = new Table(new int[16], new InboundSa[16], 15, 0);

  InboundSa get(int spi) {
    Table t = table;
    int i = mix(spi) & t.mask;
    while (true) {
      InboundSa v = t.values[i];
      if (v == null) {
        return null;
      }
      if (t.keys[i] == spi) {
        return v;
      }
      i = (i + 1) & t.mask;
    }
  }

  synchronized boolean putIfAbsent(int spi, InboundSa sa) {
    if (get(spi) != null) {
      return false;
    }
    Table old = table;
    Table t = newTable(old.size + 1);
    copyInto(old, t, 0, false);
    insert(t, spi, sa);
    table = new Table(t.keys, t.values, t.mask, old.size + 1);
    return true;
  }

  synchronized InboundSa remove(int spi) {
    InboundSa existing = get(spi);
    if (existing == null) {
      return null;
    }
    Table old = table;
    Table t = newTable(old.size - 1);
    copyInto(old, t, spi, true);
    table = new Table(t.keys, t.values, t.mask, old.size - 1);
    return existing;
  }

  void forEach(Consumer<InboundSa> action) {
    for (InboundSa v : table.values) {
      if (v != null) {
        action.accept(v);
      }
    }
  }

  private static Table newTable(int entries) {
    int cap = 16;
    while (cap < entries * 3) {
      cap <<= 1;
    }
    return new Table(new int[cap], new InboundSa[cap], cap - 1, entries);
  }

  private static void copyInto(Table from, Table to, int skipSpi, boolean skip) {
    for (int i = 0; i < from.values.length; i++) {
      if (from.values[i] != null && !(skip && from.keys[i] == skipSpi)) {
        insert(to, from.keys[i], from.values[i]);
      }
    }
  }

  private static void insert(Table t, int spi, InboundSa sa) {
    int i = mix(spi) & t.mask;
    while (t.values[i] != null) {
      i = (i + 1) & t.mask;
    }
    t.keys[i] = spi;
    t.values[i] = sa;
  }

  private static int mix(int spi) {
    int h = spi * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
