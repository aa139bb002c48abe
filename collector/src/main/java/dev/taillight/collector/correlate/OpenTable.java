package dev.taillight.collector.correlate;

import java.util.ArrayList;
import java.util.List;

/**
 * A hash table of values that carry their own key, for the correlator's lookups by request id, stream and trace id:
 * open addressing with linear probing, the hash of each value kept beside it. A lookup compares hashes in one array
 * and reads only the value whose hash matches; removing a value (an invocation leaving the recent set, a trace
 * leaving the LRU) needs its hash and identity, not its key, so it reads nothing of the entries it passes: they are
 * usually long out of the CPU's caches. Keys are hashed by {@link #hash(String)}, which reads only their tails.
 *
 * <p>Callers probe themselves (they know how to compare their keys):
 *
 * <pre>{@code
 * for (int i = table.first(h); table.at(i) != null; i = table.next(i)) {
 *   if (table.hashAt(i) == h && matches(table.at(i))) return table.at(i);
 * }
 * }</pre>
 *
 * Load factor at most 1/2; never shrinks (its users are bounded). Not thread-safe.
 */
final class OpenTable<V> {
  private int[] hashes;
  private Object[] values;
  private int mask;
  private int size;

  OpenTable(int capacity) {
    int n = Integer.highestOneBit(Math.max(8, capacity) * 2 - 1);
    hashes = new int[n];
    values = new Object[n];
    mask = n - 1;
  }

  int size() {
    return size;
  }

  /** The slot where probing for {@code hash} starts. */
  int first(int hash) {
    return hash & mask;
  }

  /** The slot probed after {@code slot}. */
  int next(int slot) {
    return (slot + 1) & mask;
  }

  /** The value in {@code slot}, or null: probing stops at the first empty slot. */
  @SuppressWarnings("unchecked")
  V at(int slot) {
    return (V) values[slot];
  }

  int hashAt(int slot) {
    return hashes[slot];
  }

  /** Adds a value whose key is not in the table yet. */
  void add(V value, int hash) {
    if ((size + 1) * 2 > values.length) {
      grow();
    }
    int i = hash & mask;
    while (values[i] != null) {
      i = (i + 1) & mask;
    }
    values[i] = value;
    hashes[i] = hash;
    size++;
  }

  /** Removes this very value (compared by identity), added with {@code hash}; false when it is not there. */
  boolean remove(V value, int hash) {
    int i = hash & mask;
    while (values[i] != value) {
      if (values[i] == null) {
        return false;
      }
      i = (i + 1) & mask;
    }
    // backward-shift deletion: move up every later entry of the run that may not be probed past the hole
    int hole = i;
    for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
      int home = hashes[j] & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        values[hole] = values[j];
        hashes[hole] = hashes[j];
        hole = j;
      }
    }
    values[hole] = null;
    size--;
    return true;
  }

  /** The values, in no particular order. */
  List<V> values() {
    List<V> out = new ArrayList<>(size);
    for (Object v : values) {
      if (v != null) {
        @SuppressWarnings("unchecked")
        V value = (V) v;
        out.add(value);
      }
    }
    return out;
  }

  private void grow() {
    int[] oldHashes = hashes;
    Object[] oldValues = values;
    hashes = new int[oldValues.length * 2];
    values = new Object[oldValues.length * 2];
    mask = values.length - 1;
    for (int k = 0; k < oldValues.length; k++) {
      if (oldValues[k] != null) {
        int i = oldHashes[k] & mask;
        while (values[i] != null) {
          i = (i + 1) & mask;
        }
        values[i] = oldValues[k];
        hashes[i] = oldHashes[k];
      }
    }
  }

  /**
   * A well-mixed hash of the last {@value #HASHED} characters of a String and its length. The keys of these
   * tables end in random hex digits (request ids are random UUIDs; W3C trace ids are random and X-Ray ones end in 24
   * random digits; Lambda stream names end in 32), so the tail tells them apart; keys that share a tail only make a
   * lookup compare more keys. Every group, stream, request and trace id String of an event is new, and {@link
   * String#hashCode()} would read all of it, one serial multiply-add per character.
   */
  static int hash(String s) {
    int n = s.length();
    int h0 = n;
    int h1 = 0;
    int i = Math.max(0, n - HASHED);
    for (; i + 1 < n; i += 2) {
      h0 = 31 * h0 + s.charAt(i);
      h1 = 31 * h1 + s.charAt(i + 1);
    }
    if (i < n) {
      h0 = 31 * h0 + s.charAt(i);
    }
    return mix(h0 * 0x9E3779B9 + h1);
  }

  private static final int HASHED = 16;

  /** Spreads the bits of {@code h} (the finaliser of MurmurHash3), so that low bits pick slots evenly. */
  static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  @Override
  public String toString() {
    return "OpenTable[size=" + size + ", capacity=" + values.length + "]";
  }
}
