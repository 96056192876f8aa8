package dev.vpngw.dataplane.esp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * SPI → inbound SA for the receive path: an open-addressing table read without locks or
 * allocation (one volatile read, a few array probes with acquire loads).
 *
 * <p>Updates (under the lock) work in place, so installing 10,000 tunnels costs O(1) each instead
 * of copying the table every time: an insert writes the key, then publishes the value with a
 * release store; a removal replaces the value with a tombstone. Slots are never reused in place —
 * a reader that already loaded a value must never see a different key under it — so tombstones
 * are cleared by rebuilding into a fresh table (published through the volatile field) once free
 * slots run short; that keeps the load below one half and rebuilds amortised O(1) per update.
 */
final class SpiMap {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final Object TOMBSTONE = new Object();
  private static final int MIN_CAPACITY = 16;

  /** {@code used} counts live entries plus tombstones: the slots no insert may take. */
  private static final class Table {
    final int[] keys;
    final Object[] values;
    final int mask;
    int live;
    int used;

    Table(int capacity) {
      keys = new int[capacity];
      values = new Object[capacity];
      mask = capacity - 1;
    }
  }

  private volatile Table table = new Table(MIN_CAPACITY);

  InboundSa get(int spi) {
    Table t = table;
    Object[] values = t.values;
    int i = mix(spi) & t.mask;
    while (true) {
      Object v = SLOT.getAcquire(values, i);
      if (v == null) {
        return null;
      }
      if (v != TOMBSTONE && t.keys[i] == spi) {
        return (InboundSa) v;
      }
      i = (i + 1) & t.mask;
    }
  }

  synchronized boolean putIfAbsent(int spi, InboundSa sa) {
    if (get(spi) != null) {
      return false;
    }
    Table t = table;
    if ((t.used + 1) * 2 > t.values.length) {
      t = rebuild(t, t.live + 1);
    }
    int i = mix(spi) & t.mask;
    while (t.values[i] != null) {
      i = (i + 1) & t.mask;
    }
    t.keys[i] = spi;
    SLOT.setRelease(t.values, i, sa);
    t.live++;
    t.used++;
    return true;
  }

  synchronized InboundSa remove(int spi) {
    Table t = table;
    int i = mix(spi) & t.mask;
    while (true) {
      Object v = t.values[i];
      if (v == null) {
        return null;
      }
      if (v != TOMBSTONE && t.keys[i] == spi) {
        SLOT.setRelease(t.values, i, TOMBSTONE);
        t.live--;
        return (InboundSa) v;
      }
      i = (i + 1) & t.mask;
    }
  }

  synchronized int size() {
    return table.live;
  }

  /** Slots in the current table (tests: the table must not grow without bound under churn). */
  synchronized int capacity() {
    return table.values.length;
  }

  void forEach(Consumer<InboundSa> action) {
    Object[] values = table.values;
    for (int i = 0; i < values.length; i++) {
      Object v = SLOT.getAcquire(values, i);
      if (v != null && v != TOMBSTONE) {
        action.accept((InboundSa) v);
      }
    }
  }

  /** A fresh table holding the live entries, sized so {@code entries} fill at most a quarter. */
  private Table rebuild(Table old, int entries) {
    int cap = MIN_CAPACITY;
    while (cap < entries * 4) {
      cap <<= 1;
    }
    Table t = new Table(cap);
    for (int i = 0; i < old.values.length; i++) {
      Object v = old.values[i];
      if (v != null && v != TOMBSTONE) {
        int j = mix(old.keys[i]) & t.mask;
        while (t.values[j] != null) {
          j = (j + 1) & t.mask;
        }
        t.keys[j] = old.keys[i];
        t.values[j] = v;
        t.live++;
        t.used++;
      }
    }
    table = t; // volatile write publishes the plain stores above
    return t;
  }

  private static int mix(int spi) {
    int h = spi * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
