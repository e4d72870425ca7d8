// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A resizable array. The default constructor starts with no storage and allocates ten slots
 * on the first addition; the capacity then grows by half. Iterators are fail-fast.
 */
public class ArrayList<E> extends AbstractList<E> implements List<E>, RandomAccess, Cloneable, java.io.Serializable {
    private static final int DEFAULT_CAPACITY = 10;
    private static final Object[] NO_ELEMENTS = {};
    private static final Object[] UNSIZED_EMPTY = {};

    transient Object[] cells;
    private int size;

    public ArrayList(int initialCapacity) {
        if (initialCapacity > 0) {
            cells = new Object[initialCapacity];
        } else if (initialCapacity == 0) {
            cells = NO_ELEMENTS;
        } else {
            throw new IllegalArgumentException("Illegal Capacity: " + initialCapacity);
        }
    }

    public ArrayList() {
        cells = UNSIZED_EMPTY;
    }

    public ArrayList(Collection<? extends E> c) {
        Object[] a = c.toArray();
        size = a.length;
        if (size == 0) {
            cells = NO_ELEMENTS;
        } else if (c.getClass() == ArrayList.class) {
            cells = a;
        } else {
            cells = Arrays.copyOf(a, size, Object[].class);
        }
    }

    public void trimToSize() {
        modCount++;
        if (size < cells.length) {
            cells = (size == 0) ? NO_ELEMENTS : Arrays.copyOf(cells, size);
        }
    }

    public void ensureCapacity(int minCapacity) {
        if (minCapacity > cells.length && !(cells == UNSIZED_EMPTY && minCapacity <= DEFAULT_CAPACITY)) {
            modCount++;
            grow(minCapacity);
        }
    }

    /** At least minCapacity slots: 1.5 times the old capacity, or ten for a default list. */
    private Object[] grow(int minCapacity) {
        int old = cells.length;
        int target;
        if (old > 0 || cells != UNSIZED_EMPTY) {
            target = old + Math.max(minCapacity - old, old >> 1);
            if (target < 0 || target > Integer.MAX_VALUE - 8) {
                if (minCapacity < 0) {
                    throw new OutOfMemoryError("Required array length " + old + " + " + (minCapacity - old) + " is too large");
                }
                target = Math.max(minCapacity, Integer.MAX_VALUE - 8);
            }
        } else {
            target = Math.max(DEFAULT_CAPACITY, minCapacity);
        }
        return cells = Arrays.copyOf(cells, target);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    public int indexOf(Object o) {
        return indexIn(o, 0, size);
    }

    int indexIn(Object o, int from, int to) {
        Object[] es = cells;
        for (int i = from; i < to; i++) {
            if (Objects.equals(o, es[i])) {
                return i;
            }
        }
        return -1;
    }

    public int lastIndexOf(Object o) {
        Object[] es = cells;
        for (int i = size - 1; i >= 0; i--) {
            if (Objects.equals(o, es[i])) {
                return i;
            }
        }
        return -1;
    }

    /** A shallow copy, of this list's class, holding exactly {@code size()} cells. */
    @SuppressWarnings("unchecked")
    public Object clone() {
        ArrayList<E> copy;
        try {
            copy = (ArrayList<E>) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e); // ArrayList is Cloneable
        }
        copy.cells = Arrays.copyOf(cells, size);
        return copy;
    }

    public Object[] toArray() {
        return Arrays.copyOf(cells, size);
    }

    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
        if (a.length < size) {
            return (T[]) Arrays.copyOf(cells, size, a.getClass());
        }
        System.arraycopy(cells, 0, a, 0, size);
        if (a.length > size) {
            a[size] = null;
        }
        return a;
    }

    @SuppressWarnings("unchecked")
    E cells(int index) {
        return (E) cells[index];
    }

    public E get(int index) {
        Objects.checkIndex(index, size);
        return cells(index);
    }

    public E set(int index, E element) {
        Objects.checkIndex(index, size);
        E oldValue = cells(index);
        cells[index] = element;
        return oldValue;
    }

    public boolean add(E e) {
        modCount++;
        if (size == cells.length) {
            grow(size + 1);
        }
        cells[size++] = e;
        return true;
    }

    public void add(int index, E element) {
        checkPositionIndex(index, size);
        modCount++;
        if (size == cells.length) {
            grow(size + 1);
        }
        System.arraycopy(cells, index, cells, index + 1, size - index);
        cells[index] = element;
        size++;
    }

    public E remove(int index) {
        Objects.checkIndex(index, size);
        E oldValue = cells(index);
        removeAt(index);
        return oldValue;
    }

    private void removeAt(int i) {
        modCount++;
        int newSize = size - 1;
        if (newSize > i) {
            System.arraycopy(cells, i + 1, cells, i, newSize - i);
        }
        cells[size = newSize] = null;
    }

    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof List)) {
            return false;
        }
        final int expectedModCount = modCount;
        boolean equal;
        if (o.getClass() == ArrayList.class) {
            ArrayList<?> other = (ArrayList<?>) o;
            equal = other.size == size;
            for (int i = 0; equal && i < size; i++) {
                equal = Objects.equals(cells[i], other.cells[i]);
            }
        } else {
            equal = super.equals(o);
        }
        if (modCount != expectedModCount) {
            throw new ConcurrentModificationException();
        }
        return equal;
    }

    public int hashCode() {
        int expectedModCount = modCount;
        int h = 1;
        for (int i = 0; i < size; i++) {
            Object e = cells[i];
            h = 31 * h + (e == null ? 0 : e.hashCode());
        }
        if (modCount != expectedModCount) {
            throw new ConcurrentModificationException();
        }
        return h;
    }

    public boolean remove(Object o) {
        int i = indexOf(o);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    public void clear() {
        modCount++;
        for (int i = 0; i < size; i++) {
            cells[i] = null;
        }
        size = 0;
    }

    public boolean addAll(Collection<? extends E> c) {
        Object[] a = c.toArray();
        modCount++;
        int n = a.length;
        if (n == 0) {
            return false;
        }
        if (n > cells.length - size) {
            grow(size + n);
        }
        System.arraycopy(a, 0, cells, size, n);
        size += n;
        return true;
    }

    public boolean addAll(int index, Collection<? extends E> c) {
        checkPositionIndex(index, size);
        Object[] a = c.toArray();
        modCount++;
        int n = a.length;
        if (n == 0) {
            return false;
        }
        if (n > cells.length - size) {
            grow(size + n);
        }
        int moved = size - index;
        if (moved > 0) {
            System.arraycopy(cells, index, cells, index + n, moved);
        }
        System.arraycopy(a, 0, cells, index, n);
        size += n;
        return true;
    }

    protected void removeRange(int fromIndex, int toIndex) {
        if (fromIndex > toIndex) {
            throw new IndexOutOfBoundsException("From Index: " + fromIndex + " > To Index: " + toIndex);
        }
        modCount++;
        System.arraycopy(cells, toIndex, cells, fromIndex, size - toIndex);
        int newSize = size - (toIndex - fromIndex);
        for (int i = newSize; i < size; i++) {
            cells[i] = null;
        }
        size = newSize;
    }

    public boolean removeAll(Collection<?> c) {
        return removeMatching(c, false);
    }

    public boolean retainAll(Collection<?> c) {
        return removeMatching(c, true);
    }

    /** Keeps the elements for which c.contains(e) == keep, in order. */
    private boolean removeMatching(Collection<?> c, boolean keep) {
        Objects.requireNonNull(c);
        Object[] es = cells;
        int w = 0;
        int r = 0;
        try {
            for (; r < size; r++) {
                if (c.contains(es[r]) == keep) {
                    es[w++] = es[r];
                }
            }
        } finally {
            // if contains threw, keep the unexamined rest
            if (r < size) {
                System.arraycopy(es, r, es, w, size - r);
                w += size - r;
            }
            if (w != size) {
                for (int i = w; i < size; i++) {
                    es[i] = null;
                }
                modCount++;
                size = w;
                return true;
            }
        }
        return false;
    }

    public ListIterator<E> listIterator(int index) {
        checkPositionIndex(index, size);
        return new Itr(index);
    }

    public ListIterator<E> listIterator() {
        return new Itr(0);
    }

    public Iterator<E> iterator() {
        return new Itr(0);
    }

    /** Fail-fast iterator over the array. */
    private class Itr implements ListIterator<E> {
        int cursor;
        int lastRet = -1;
        int expectedModCount = modCount;

        Itr(int index) {
            cursor = index;
        }

        public boolean hasNext() {
            return cursor != size;
        }

        @SuppressWarnings("unchecked")
        public E next() {
            checkForComodification();
            int i = cursor;
            if (i >= size) {
                throw new NoSuchElementException();
            }
            Object[] es = ArrayList.this.cells;
            if (i >= es.length) {
                throw new ConcurrentModificationException();
            }
            cursor = i + 1;
            return (E) es[lastRet = i];
        }

        public boolean hasPrevious() {
            return cursor != 0;
        }

        public int nextIndex() {
            return cursor;
        }

        public int previousIndex() {
            return cursor - 1;
        }

        @SuppressWarnings("unchecked")
        public E previous() {
            checkForComodification();
            int i = cursor - 1;
            if (i < 0) {
                throw new NoSuchElementException();
            }
            Object[] es = ArrayList.this.cells;
            if (i >= es.length) {
                throw new ConcurrentModificationException();
            }
            cursor = i;
            return (E) es[lastRet = i];
        }

        public void remove() {
            if (lastRet < 0) {
                throw new IllegalStateException();
            }
            checkForComodification();
            try {
                ArrayList.this.remove(lastRet);
                cursor = lastRet;
                lastRet = -1;
                expectedModCount = modCount;
            } catch (IndexOutOfBoundsException ex) {
                throw new ConcurrentModificationException();
            }
        }

        public void set(E e) {
            if (lastRet < 0) {
                throw new IllegalStateException();
            }
            checkForComodification();
            try {
                ArrayList.this.set(lastRet, e);
            } catch (IndexOutOfBoundsException ex) {
                throw new ConcurrentModificationException();
            }
        }

        public void add(E e) {
            checkForComodification();
            try {
                int i = cursor;
                ArrayList.this.add(i, e);
                cursor = i + 1;
                lastRet = -1;
                expectedModCount = modCount;
            } catch (IndexOutOfBoundsException ex) {
                throw new ConcurrentModificationException();
            }
        }

        @SuppressWarnings("unchecked")
        public void forEachRemaining(Consumer<? super E> action) {
            Objects.requireNonNull(action);
            final int n = size;
            int i = cursor;
            if (i < n) {
                final Object[] es = cells;
                if (i >= es.length) {
                    throw new ConcurrentModificationException();
                }
                for (; i < n && modCount == expectedModCount; i++) {
                    action.accept((E) es[i]);
                }
                cursor = i;
                lastRet = i - 1;
                checkForComodification();
            }
        }

        final void checkForComodification() {
            if (modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
        }
    }

    @SuppressWarnings("unchecked")
    public void forEach(Consumer<? super E> action) {
        Objects.requireNonNull(action);
        final int expectedModCount = modCount;
        final Object[] es = cells;
        final int n = size;
        for (int i = 0; modCount == expectedModCount && i < n; i++) {
            action.accept((E) es[i]);
        }
        if (modCount != expectedModCount) {
            throw new ConcurrentModificationException();
        }
    }

    @SuppressWarnings("unchecked")
    public boolean removeIf(Predicate<? super E> filter) {
        Objects.requireNonNull(filter);
        int expectedModCount = modCount;
        Object[] es = cells;
        // decide first, then compact, so a throwing predicate leaves the list unchanged
        boolean[] dead = null;
        int removed = 0;
        for (int i = 0; i < size; i++) {
            if (filter.test((E) es[i])) {
                if (dead == null) {
                    dead = new boolean[size];
                }
                dead[i] = true;
                removed++;
            }
        }
        if (modCount != expectedModCount) {
            throw new ConcurrentModificationException();
        }
        if (removed == 0) {
            return false;
        }
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (!dead[i]) {
                es[w++] = es[i];
            }
        }
        for (int i = w; i < size; i++) {
            es[i] = null;
        }
        size = w;
        modCount++;
        return true;
    }

    @SuppressWarnings("unchecked")
    public void replaceAll(UnaryOperator<E> operator) {
        Objects.requireNonNull(operator);
        final int expectedModCount = modCount;
        final Object[] es = cells;
        for (int i = 0; modCount == expectedModCount && i < size; i++) {
            es[i] = operator.apply((E) es[i]);
        }
        if (modCount != expectedModCount) {
            throw new ConcurrentModificationException();
        }
        modCount++;
    }

    @SuppressWarnings("unchecked")
    public void sort(Comparator<? super E> c) {
        final int expectedModCount = modCount;
        Arrays.sort((E[]) cells, 0, size, c);
        if (modCount != expectedModCount) {
            throw new ConcurrentModificationException();
        }
        modCount++;
    }
}
