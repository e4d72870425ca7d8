// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The unmodifiable collections of List.of, Set.of, Map.of and their copyOf: null-hostile
 * (null elements, and null queries, throw NullPointerException), every mutator throws
 * UnsupportedOperationException. Sets and maps iterate in insertion order (the JDK's order
 * is randomized per run, so programs cannot depend on it).
 */
final class FixedCollections {
    private FixedCollections() {
    }

    static UnsupportedOperationException uoe() {
        return new UnsupportedOperationException();
    }

    private static final FixedList<?> EMPTY_LIST = new FixedList<>(new Object[0]);
    private static final FixedSet<?> EMPTY_SET = new FixedSet<>(new Object[0]);
    private static final FixedMap<?, ?> EMPTY_MAP = new FixedMap<>(new Object[0]);

    @SuppressWarnings("unchecked")
    static <E> List<E> emptyList() {
        return (List<E>) EMPTY_LIST;
    }

    @SuppressWarnings("unchecked")
    static <E> Set<E> emptySet() {
        return (Set<E>) EMPTY_SET;
    }

    @SuppressWarnings("unchecked")
    static <K, V> Map<K, V> emptyMap() {
        return (Map<K, V>) EMPTY_MAP;
    }

    @SafeVarargs
    static <E> List<E> listOf(E... elements) {
        Object[] a = new Object[elements.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Objects.requireNonNull(elements[i]);
        }
        return a.length == 0 ? emptyList() : new FixedList<>(a);
    }

    @SuppressWarnings("unchecked")
    static <E> List<E> listCopyOf(Collection<? extends E> coll) {
        if (coll instanceof FixedList) {
            return (List<E>) coll;
        }
        return (List<E>) listOf(coll.toArray());
    }

    @SafeVarargs
    static <E> Set<E> setOf(E... elements) {
        Object[] a = new Object[elements.length];
        int n = 0;
        for (E e : elements) {
            Objects.requireNonNull(e);
            for (int j = 0; j < n; j++) {
                if (a[j].equals(e)) {
                    throw new IllegalArgumentException("duplicate element: " + e);
                }
            }
            a[n++] = e;
        }
        return n == 0 ? emptySet() : new FixedSet<>(a);
    }

    @SuppressWarnings("unchecked")
    static <E> Set<E> setCopyOf(Collection<? extends E> coll) {
        if (coll instanceof FixedSet) {
            return (Set<E>) coll;
        }
        // duplicates are allowed here: keep the first of each
        Object[] src = coll.toArray();
        Object[] a = new Object[src.length];
        int n = 0;
        outer:
        for (Object e : src) {
            Objects.requireNonNull(e);
            for (int j = 0; j < n; j++) {
                if (a[j].equals(e)) {
                    continue outer;
                }
            }
            a[n++] = e;
        }
        return n == 0 ? emptySet() : new FixedSet<>(Arrays.copyOf(a, n));
    }

    /** keysAndValues: k1, v1, k2, v2, ... */
    static <K, V> Map<K, V> mapOf(Object... keysAndValues) {
        Object[] kv = new Object[keysAndValues.length];
        for (int i = 0; i < kv.length; i += 2) {
            Object k = Objects.requireNonNull(keysAndValues[i]);
            Object v = Objects.requireNonNull(keysAndValues[i + 1]);
            for (int j = 0; j < i; j += 2) {
                if (kv[j].equals(k)) {
                    throw new IllegalArgumentException("duplicate key: " + k);
                }
            }
            kv[i] = k;
            kv[i + 1] = v;
        }
        return kv.length == 0 ? emptyMap() : new FixedMap<>(kv);
    }

    @SafeVarargs
    static <K, V> Map<K, V> mapOfEntries(Map.Entry<? extends K, ? extends V>... entries) {
        Object[] kv = new Object[entries.length * 2];
        for (int i = 0; i < entries.length; i++) {
            kv[2 * i] = entries[i].getKey();
            kv[2 * i + 1] = entries[i].getValue();
        }
        return mapOf(kv);
    }

    @SuppressWarnings("unchecked")
    static <K, V> Map<K, V> mapCopyOf(Map<? extends K, ? extends V> map) {
        if (map instanceof FixedMap) {
            return (Map<K, V>) map;
        }
        Object[] kv = new Object[map.size() * 2];
        int i = 0;
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            if (i == kv.length) {
                kv = Arrays.copyOf(kv, kv.length + 2);
            }
            kv[i++] = e.getKey();
            kv[i++] = e.getValue();
        }
        return mapOf(Arrays.copyOf(kv, i));
    }

    /** Map.entry: an immutable, null-hostile entry. */
    static final class FixedEntry<K, V> implements Map.Entry<K, V> {
        final K key;
        final V value;

        FixedEntry(K k, V v) {
            key = Objects.requireNonNull(k);
            value = Objects.requireNonNull(v);
        }

        public K getKey() {
            return key;
        }

        public V getValue() {
            return value;
        }

        public V setValue(V value) {
            throw new UnsupportedOperationException("not supported");
        }

        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && value.equals(e.getValue());
        }

        public int hashCode() {
            return key.hashCode() ^ value.hashCode();
        }

        public String toString() {
            return key + "=" + value;
        }
    }

    static final class FixedList<E> extends AbstractList<E> implements RandomAccess, java.io.Serializable {
        private final Object[] elements;
        private final boolean isSubList;

        FixedList(Object[] elements) {
            this(elements, false);
        }

        FixedList(Object[] elements, boolean isSubList) {
            this.elements = elements;
            this.isSubList = isSubList;
        }

        @SuppressWarnings("unchecked")
        public E get(int index) {
            int n = elements.length;
            if (index < 0 || index >= n) {
                if (isSubList) {
                    Objects.checkIndex(index, n);
                }
                if (n == 1 || n == 2) {
                    throw new IndexOutOfBoundsException("Index: " + index + " Size: " + n);
                }
                throw new ArrayIndexOutOfBoundsException("Index " + index + " out of bounds for length " + n);
            }
            return (E) elements[index];
        }

        public int size() {
            return elements.length;
        }

        public boolean contains(Object o) {
            return indexOf(o) >= 0;
        }

        public int indexOf(Object o) {
            Objects.requireNonNull(o);
            for (int i = 0; i < elements.length; i++) {
                if (o.equals(elements[i])) {
                    return i;
                }
            }
            return -1;
        }

        public int lastIndexOf(Object o) {
            Objects.requireNonNull(o);
            for (int i = elements.length - 1; i >= 0; i--) {
                if (o.equals(elements[i])) {
                    return i;
                }
            }
            return -1;
        }

        public ListIterator<E> listIterator(int index) {
            if (index < 0 || index > elements.length) {
                throw new IndexOutOfBoundsException("Index: " + index + " Size: " + elements.length);
            }
            return new ListIterator<E>() {
                int cursor = index;

                public boolean hasNext() {
                    return cursor != elements.length;
                }

                @SuppressWarnings("unchecked")
                public E next() {
                    if (cursor >= elements.length) {
                        throw new NoSuchElementException();
                    }
                    return (E) elements[cursor++];
                }

                public boolean hasPrevious() {
                    return cursor != 0;
                }

                @SuppressWarnings("unchecked")
                public E previous() {
                    if (cursor <= 0) {
                        throw new NoSuchElementException();
                    }
                    return (E) elements[--cursor];
                }

                public int nextIndex() {
                    return cursor;
                }

                public int previousIndex() {
                    return cursor - 1;
                }

                public void remove() {
                    throw uoe();
                }

                public void set(E e) {
                    throw uoe();
                }

                public void add(E e) {
                    throw uoe();
                }
            };
        }

        public Iterator<E> iterator() {
            return listIterator(0);
        }

        public List<E> subList(int fromIndex, int toIndex) {
            checkSubListRange(fromIndex, toIndex, elements.length);
            return new FixedList<>(Arrays.copyOfRange(elements, fromIndex, toIndex), true);
        }

        public Object[] toArray() {
            return Arrays.copyOf(elements, elements.length);
        }

        public boolean add(E e) {
            throw uoe();
        }

        public void add(int index, E e) {
            throw uoe();
        }

        public boolean addAll(Collection<? extends E> c) {
            throw uoe();
        }

        public boolean addAll(int index, Collection<? extends E> c) {
            throw uoe();
        }

        public E set(int index, E e) {
            throw uoe();
        }

        public E remove(int index) {
            throw uoe();
        }

        public boolean remove(Object o) {
            throw uoe();
        }

        public boolean removeAll(Collection<?> c) {
            throw uoe();
        }

        public boolean retainAll(Collection<?> c) {
            throw uoe();
        }

        public boolean removeIf(Predicate<? super E> filter) {
            throw uoe();
        }

        public void replaceAll(UnaryOperator<E> operator) {
            throw uoe();
        }

        public void sort(Comparator<? super E> c) {
            throw uoe();
        }

        public void clear() {
            throw uoe();
        }
    }

    static final class FixedSet<E> extends AbstractSet<E> implements java.io.Serializable {
        private final Object[] elements;

        FixedSet(Object[] elements) {
            this.elements = elements;
        }

        public int size() {
            return elements.length;
        }

        public boolean contains(Object o) {
            Objects.requireNonNull(o);
            for (Object e : elements) {
                if (o.equals(e)) {
                    return true;
                }
            }
            return false;
        }

        public Iterator<E> iterator() {
            return new Iterator<E>() {
                int i = 0;

                public boolean hasNext() {
                    return i < elements.length;
                }

                @SuppressWarnings("unchecked")
                public E next() {
                    if (i >= elements.length) {
                        throw new NoSuchElementException();
                    }
                    return (E) elements[i++];
                }
            };
        }

        public int hashCode() {
            int h = 0;
            for (Object e : elements) {
                h += e.hashCode();
            }
            return h;
        }

        public boolean add(E e) {
            throw uoe();
        }

        public boolean addAll(Collection<? extends E> c) {
            throw uoe();
        }

        public boolean remove(Object o) {
            throw uoe();
        }

        public boolean removeAll(Collection<?> c) {
            throw uoe();
        }

        public boolean retainAll(Collection<?> c) {
            throw uoe();
        }

        public boolean removeIf(Predicate<? super E> filter) {
            throw uoe();
        }

        public void clear() {
            throw uoe();
        }
    }

    static final class FixedMap<K, V> extends AbstractMap<K, V> implements java.io.Serializable {
        private final Object[] kv; // k0, v0, k1, v1, ...

        FixedMap(Object[] kv) {
            this.kv = kv;
        }

        private int find(Object key) {
            Objects.requireNonNull(key);
            for (int i = 0; i < kv.length; i += 2) {
                if (key.equals(kv[i])) {
                    return i;
                }
            }
            return -1;
        }

        @SuppressWarnings("unchecked")
        public V get(Object key) {
            int i = find(key);
            return i < 0 ? null : (V) kv[i + 1];
        }

        public boolean containsKey(Object key) {
            return find(key) >= 0;
        }

        public boolean containsValue(Object value) {
            Objects.requireNonNull(value);
            for (int i = 1; i < kv.length; i += 2) {
                if (value.equals(kv[i])) {
                    return true;
                }
            }
            return false;
        }

        public int size() {
            return kv.length / 2;
        }

        public Set<Map.Entry<K, V>> entrySet() {
            return new AbstractSet<Map.Entry<K, V>>() {
                public int size() {
                    return kv.length / 2;
                }

                public Iterator<Map.Entry<K, V>> iterator() {
                    return new Iterator<Map.Entry<K, V>>() {
                        int i = 0;

                        public boolean hasNext() {
                            return i < kv.length;
                        }

                        @SuppressWarnings("unchecked")
                        public Map.Entry<K, V> next() {
                            if (i >= kv.length) {
                                throw new NoSuchElementException();
                            }
                            Map.Entry<K, V> e = new FixedEntry<>((K) kv[i], (V) kv[i + 1]);
                            i += 2;
                            return e;
                        }
                    };
                }
            };
        }

        public int hashCode() {
            int h = 0;
            for (int i = 0; i < kv.length; i += 2) {
                h += kv[i].hashCode() ^ kv[i + 1].hashCode();
            }
            return h;
        }

        public V put(K key, V value) {
            throw uoe();
        }

        public V remove(Object key) {
            throw uoe();
        }

        public void putAll(Map<? extends K, ? extends V> m) {
            throw uoe();
        }

        public void clear() {
            throw uoe();
        }

        public V putIfAbsent(K key, V value) {
            throw uoe();
        }

        public boolean remove(Object key, Object value) {
            throw uoe();
        }

        public boolean replace(K key, V oldValue, V newValue) {
            throw uoe();
        }

        public V replace(K key, V value) {
            throw uoe();
        }

        public V computeIfAbsent(K key, java.util.function.Function<? super K, ? extends V> f) {
            throw uoe();
        }

        public V computeIfPresent(K key, java.util.function.BiFunction<? super K, ? super V, ? extends V> f) {
            throw uoe();
        }

        public V compute(K key, java.util.function.BiFunction<? super K, ? super V, ? extends V> f) {
            throw uoe();
        }

        public V merge(K key, V value, java.util.function.BiFunction<? super V, ? super V, ? extends V> f) {
            throw uoe();
        }

        public void replaceAll(java.util.function.BiFunction<? super K, ? super V, ? extends V> f) {
            throw uoe();
        }
    }
}
