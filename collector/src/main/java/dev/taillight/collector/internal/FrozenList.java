package dev.taillight.collector.internal;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An immutable list over the first elements of an array: what the correlator hands out as an invocation's lines and
 * spans. {@code List.copyOf} of a list it did not make copies twice (to an array, then again into its own list); this
 * copies once ({@link #copyOf}) or not at all ({@link #sharing}: the correlator's own array, which it copies before
 * it changes it again), and the records that take it ({@code Invocation}) keep it as it is. Internal: public only so
 * that those records can recognise it; not part of the collector's API.
 *
 * <p>Like {@code List.copyOf}'s lists: no nulls, every mutator throws {@link UnsupportedOperationException},
 * {@code contains(null)} and {@code indexOf(null)} throw {@link NullPointerException}, equality and hash code are
 * {@link List}'s. Thread-safe (immutable).
 */
public final class FrozenList<E> extends AbstractList<E> implements RandomAccess {
  private static final FrozenList<?> EMPTY = new FrozenList<>(new Object[0], 0);

  private final Object[] elements;
  private final int size;

  private FrozenList(Object[] elements, int size) {
    this.elements = elements;
    this.size = size;
  }

  /** The first {@code size} elements of {@code array}, copied; throws NullPointerException if one is null. */
  @SuppressWarnings("unchecked")
  public static <E> FrozenList<E> copyOf(Object[] array, int size) {
    if (size == 0) {
      return (FrozenList<E>) EMPTY;
    }
    Object[] copy = Arrays.copyOf(array, size, Object[].class);
    for (Object o : copy) {
      Objects.requireNonNull(o, "element");
    }
    return new FrozenList<>(copy, size);
  }

  /**
   * The first {@code size} elements of {@code array}, not copied: the caller promises that none of them is null and
   * that it will never change them (it copies the array before it changes it again). Reads nothing of the array, which
   * may be long out of the CPU's caches.
   */
  @SuppressWarnings("unchecked")
  public static <E> FrozenList<E> sharing(Object[] array, int size) {
    Objects.checkFromIndexSize(0, size, array.length);
    return size == 0 ? (FrozenList<E>) EMPTY : new FrozenList<>(array, size);
  }

  @Override
  @SuppressWarnings("unchecked")
  public E get(int index) {
    Objects.checkIndex(index, size);
    return (E) elements[index];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int indexOf(Object o) {
    Objects.requireNonNull(o);
    for (int i = 0; i < size; i++) {
      if (o.equals(elements[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int lastIndexOf(Object o) {
    Objects.requireNonNull(o);
    for (int i = size - 1; i >= 0; i--) {
      if (o.equals(elements[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean contains(Object o) {
    return indexOf(o) >= 0;
  }

  @Override
  public Object[] toArray() {
    return Arrays.copyOf(elements, size, Object[].class);
  }

  // every mutator throws, even when it would change nothing (as List.copyOf's lists do)

  @Override
  public boolean add(E e) {
    throw uoe();
  }

  @Override
  public void add(int index, E e) {
    throw uoe();
  }

  @Override
  public boolean addAll(Collection<? extends E> c) {
    throw uoe();
  }

  @Override
  public boolean addAll(int index, Collection<? extends E> c) {
    throw uoe();
  }

  @Override
  public E set(int index, E e) {
    throw uoe();
  }

  @Override
  public E remove(int index) {
    throw uoe();
  }

  @Override
  public boolean remove(Object o) {
    throw uoe();
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    throw uoe();
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    throw uoe();
  }

  @Override
  public boolean removeIf(Predicate<? super E> filter) {
    throw uoe();
  }

  @Override
  public void replaceAll(UnaryOperator<E> operator) {
    throw uoe();
  }

  @Override
  public void sort(Comparator<? super E> c) {
    throw uoe();
  }

  @Override
  public void clear() {
    throw uoe();
  }

  @Override
  protected void removeRange(int fromIndex, int toIndex) {
    throw uoe();
  }

  private static UnsupportedOperationException uoe() {
    return new UnsupportedOperationException("immutable list");
  }
}
