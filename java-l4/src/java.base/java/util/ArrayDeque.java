// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

import java.util.function.Consumer;
import java.util.function.Predicate;

/** A resizable circular array deque; null elements are not permitted. */
public class ArrayDeque<E> extends AbstractCollection<E> implements Deque<E>, Cloneable, java.io.Serializable {
    transient Object[] elements;
    transient int head; // index of the first element
    transient int count;

    public ArrayDeque() {
        elements = new Object[16];
    }

    public ArrayDeque(int numElements) {
        elements = new Object[Math.max(numElements, 1)];
    }

    public ArrayDeque(Collection<? extends E> c) {
        this(c.size());
        for (E e : c) {
            addLast(e);
        }
    }

    private int slot(int i) {
        int n = head + i;
        return n >= elements.length ? n - elements.length : n;
    }

    private void growIfFull() {
        if (count == elements.length) {
            int old = elements.length;
            int grown = old < 64 ? old + old + 2 : old + (old >> 1);
            if (grown < 0) {
                throw new IllegalStateException("Sorry, deque too big");
            }
            Object[] a = new Object[grown];
            for (int i = 0; i < count; i++) {
                a[i] = elements[slot(i)];
            }
            elements = a;
            head = 0;
        }
    }

    @SuppressWarnings("unchecked")
    private E at(int i) {
        return (E) elements[slot(i)];
    }

    public void addFirst(E e) {
        if (e == null) {
            throw new NullPointerException();
        }
        growIfFull();
        head = (head == 0 ? elements.length : head) - 1;
        elements[head] = e;
        count++;
    }

    public void addLast(E e) {
        if (e == null) {
            throw new NullPointerException();
        }
        growIfFull();
        elements[slot(count)] = e;
        count++;
    }

    public boolean addAll(Collection<? extends E> c) {
        boolean modified = false;
        for (E e : c) {
            addLast(e);
            modified = true;
        }
        return modified;
    }

    public boolean offerFirst(E e) {
        addFirst(e);
        return true;
    }

    public boolean offerLast(E e) {
        addLast(e);
        return true;
    }

    public E removeFirst() {
        E e = pollFirst();
        if (e == null) {
            throw new NoSuchElementException();
        }
        return e;
    }

    public E removeLast() {
        E e = pollLast();
        if (e == null) {
            throw new NoSuchElementException();
        }
        return e;
    }

    public E pollFirst() {
        if (count == 0) {
            return null;
        }
        E e = at(0);
        elements[head] = null;
        head = (head + 1 == elements.length) ? 0 : head + 1;
        count--;
        return e;
    }

    public E pollLast() {
        if (count == 0) {
            return null;
        }
        int s = slot(count - 1);
        @SuppressWarnings("unchecked")
        E e = (E) elements[s];
        elements[s] = null;
        count--;
        return e;
    }

    public E getFirst() {
        if (count == 0) {
            throw new NoSuchElementException();
        }
        return at(0);
    }

    public E getLast() {
        if (count == 0) {
            throw new NoSuchElementException();
        }
        return at(count - 1);
    }

    public E peekFirst() {
        return count == 0 ? null : at(0);
    }

    public E peekLast() {
        return count == 0 ? null : at(count - 1);
    }

    public boolean removeFirstOccurrence(Object o) {
        if (o != null) {
            for (int i = 0; i < count; i++) {
                if (o.equals(at(i))) {
                    delete(i);
                    return true;
                }
            }
        }
        return false;
    }

    public boolean removeLastOccurrence(Object o) {
        if (o != null) {
            for (int i = count - 1; i >= 0; i--) {
                if (o.equals(at(i))) {
                    delete(i);
                    return true;
                }
            }
        }
        return false;
    }

    /** Removes the element at logical position i, closing the gap. */
    void delete(int i) {
        for (int j = i; j < count - 1; j++) {
            elements[slot(j)] = elements[slot(j + 1)];
        }
        elements[slot(count - 1)] = null;
        count--;
    }

    public boolean add(E e) {
        addLast(e);
        return true;
    }

    public boolean offer(E e) {
        return offerLast(e);
    }

    public E remove() {
        return removeFirst();
    }

    public E poll() {
        return pollFirst();
    }

    public E element() {
        return getFirst();
    }

    public E peek() {
        return peekFirst();
    }

    public void push(E e) {
        addFirst(e);
    }

    public E pop() {
        return removeFirst();
    }

    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public Iterator<E> iterator() {
        return new Itr(false);
    }

    public Iterator<E> descendingIterator() {
        return new Itr(true);
    }

    /** Fails fast when the deque changes behind its back (positions shift). */
    private class Itr implements Iterator<E> {
        final boolean reverse;
        int index; // logical position of the next element
        int remaining;
        int lastRet = -1;
        int expectedCount = count;
        Object expectedNext;

        Itr(boolean reverse) {
            this.reverse = reverse;
            this.remaining = count;
            this.index = reverse ? count - 1 : 0;
        }

        public boolean hasNext() {
            return remaining > 0;
        }

        public E next() {
            if (remaining <= 0) {
                throw new NoSuchElementException();
            }
            if (count != expectedCount) {
                throw new ConcurrentModificationException();
            }
            E e = at(index);
            if (e == null) {
                throw new ConcurrentModificationException();
            }
            lastRet = index;
            index += reverse ? -1 : 1;
            remaining--;
            return e;
        }

        public void remove() {
            if (lastRet < 0) {
                throw new IllegalStateException();
            }
            delete(lastRet);
            if (!reverse) {
                index--;
            }
            lastRet = -1;
            expectedCount = count;
        }
    }

    public boolean contains(Object o) {
        if (o != null) {
            for (int i = 0; i < count; i++) {
                if (o.equals(at(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean remove(Object o) {
        return removeFirstOccurrence(o);
    }

    public void clear() {
        for (int i = 0; i < count; i++) {
            elements[slot(i)] = null;
        }
        head = 0;
        count = 0;
    }

    public void forEach(Consumer<? super E> action) {
        Objects.requireNonNull(action);
        for (int i = 0; i < count; i++) {
            action.accept(at(i));
        }
    }

    public boolean removeIf(Predicate<? super E> filter) {
        Objects.requireNonNull(filter);
        int w = 0;
        int n = count;
        Object[] kept = new Object[n];
        for (int i = 0; i < n; i++) {
            E e = at(i);
            if (!filter.test(e)) {
                kept[w++] = e;
            }
        }
        if (w == n) {
            return false;
        }
        clear();
        for (int i = 0; i < w; i++) {
            elements[i] = kept[i];
        }
        count = w;
        return true;
    }

    public boolean removeAll(Collection<?> c) {
        Objects.requireNonNull(c);
        return removeIf(c::contains);
    }

    public boolean retainAll(Collection<?> c) {
        Objects.requireNonNull(c);
        return removeIf(e -> !c.contains(e));
    }

    public Object[] toArray() {
        Object[] a = new Object[count];
        for (int i = 0; i < count; i++) {
            a[i] = elements[slot(i)];
        }
        return a;
    }

    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
        if (a.length < count) {
            a = (T[]) java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), count);
        }
        for (int i = 0; i < count; i++) {
            a[i] = (T) elements[slot(i)];
        }
        if (a.length > count) {
            a[count] = null;
        }
        return a;
    }

    @SuppressWarnings("unchecked")
    public ArrayDeque<E> clone() {
        try {
            ArrayDeque<E> result = (ArrayDeque<E>) super.clone();
            result.elements = toArray();
            if (result.elements.length == 0) {
                result.elements = new Object[1];
            }
            result.head = 0;
            return result;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError();
        }
    }
}
