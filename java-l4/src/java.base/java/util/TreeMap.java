// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * A red-black tree map sorted by the keys' natural order or a comparator. Range views
 * (head/tail/sub maps, descending maps) are live windows implemented by one class.
 */
public class TreeMap<K, V> extends AbstractMap<K, V> implements NavigableMap<K, V>, Cloneable, java.io.Serializable {
    private final Comparator<? super K> comparator;
    private transient Entry<K, V> root;
    private transient int size = 0;
    private transient int modCount = 0;

    public TreeMap() {
        comparator = null;
    }

    public TreeMap(Comparator<? super K> comparator) {
        this.comparator = comparator;
    }

    public TreeMap(Map<? extends K, ? extends V> m) {
        comparator = null;
        putAll(m);
    }

    public TreeMap(SortedMap<K, ? extends V> m) {
        comparator = m.comparator();
        putAll(m);
    }

    static final class Entry<K, V> implements Map.Entry<K, V> {
        K key;
        V value;
        Entry<K, V> left;
        Entry<K, V> right;
        Entry<K, V> parent;
        boolean black = true;

        Entry(K key, V value, Entry<K, V> parent) {
            this.key = key;
            this.value = value;
            this.parent = parent;
        }

        public K getKey() {
            return key;
        }

        public V getValue() {
            return value;
        }

        public V setValue(V value) {
            V oldValue = this.value;
            this.value = value;
            return oldValue;
        }

        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.equals(key, e.getKey()) && Objects.equals(value, e.getValue());
        }

        public int hashCode() {
            return Objects.hashCode(key) ^ Objects.hashCode(value);
        }

        public String toString() {
            return key + "=" + value;
        }
    }

    @SuppressWarnings("unchecked")
    final int compare(Object k1, Object k2) {
        return comparator == null ? ((Comparable<? super K>) k1).compareTo((K) k2) : comparator.compare((K) k1, (K) k2);
    }

    public int size() {
        return size;
    }

    public boolean containsKey(Object key) {
        return getEntry(key) != null;
    }

    public boolean containsValue(Object value) {
        for (Entry<K, V> e = getFirstEntry(); e != null; e = successor(e)) {
            if (Objects.equals(value, e.value)) {
                return true;
            }
        }
        return false;
    }

    public V get(Object key) {
        Entry<K, V> p = getEntry(key);
        return p == null ? null : p.value;
    }

    public Comparator<? super K> comparator() {
        return comparator;
    }

    public K firstKey() {
        return key(getFirstEntry());
    }

    public K lastKey() {
        return key(getLastEntry());
    }

    public void putAll(Map<? extends K, ? extends V> map) {
        super.putAll(map);
    }

    final Entry<K, V> getEntry(Object key) {
        if (comparator == null) {
            Objects.requireNonNull(key);
        }
        Entry<K, V> p = root;
        while (p != null) {
            int cmp = compare(key, p.key);
            if (cmp < 0) {
                p = p.left;
            } else if (cmp > 0) {
                p = p.right;
            } else {
                return p;
            }
        }
        return null;
    }

    /** The entry for the least key >= (or > when !inclusive) key. */
    final Entry<K, V> getCeiling(Object key, boolean inclusive) {
        Entry<K, V> best = null;
        Entry<K, V> p = root;
        while (p != null) {
            int cmp = compare(key, p.key);
            if (cmp < 0 || (cmp == 0 && inclusive)) {
                if (cmp == 0) {
                    return p;
                }
                best = p;
                p = p.left;
            } else {
                p = p.right;
            }
        }
        return best;
    }

    /** The entry for the greatest key <= (or < when !inclusive) key. */
    final Entry<K, V> getFloor(Object key, boolean inclusive) {
        Entry<K, V> best = null;
        Entry<K, V> p = root;
        while (p != null) {
            int cmp = compare(key, p.key);
            if (cmp > 0 || (cmp == 0 && inclusive)) {
                if (cmp == 0) {
                    return p;
                }
                best = p;
                p = p.right;
            } else {
                p = p.left;
            }
        }
        return best;
    }

    public V put(K key, V value) {
        return put(key, value, true);
    }

    private V put(K key, V value, boolean replaceOld) {
        Entry<K, V> t = root;
        if (t == null) {
            compare(key, key); // type and null check
            root = new Entry<>(key, value, null);
            size = 1;
            modCount++;
            return null;
        }
        if (comparator == null) {
            Objects.requireNonNull(key);
        }
        int cmp;
        Entry<K, V> parent;
        do {
            parent = t;
            cmp = compare(key, t.key);
            if (cmp < 0) {
                t = t.left;
            } else if (cmp > 0) {
                t = t.right;
            } else {
                V oldValue = t.value;
                if (replaceOld || oldValue == null) {
                    t.value = value;
                }
                return oldValue;
            }
        } while (t != null);
        Entry<K, V> e = new Entry<>(key, value, parent);
        if (cmp < 0) {
            parent.left = e;
        } else {
            parent.right = e;
        }
        fixAfterInsertion(e);
        size++;
        modCount++;
        return null;
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return put(key, value, false);
    }

    public V remove(Object key) {
        Entry<K, V> p = getEntry(key);
        if (p == null) {
            return null;
        }
        V oldValue = p.value;
        deleteEntry(p);
        return oldValue;
    }

    public void clear() {
        modCount++;
        size = 0;
        root = null;
    }

    @SuppressWarnings("unchecked")
    public Object clone() {
        TreeMap<K, V> clone;
        try {
            clone = (TreeMap<K, V>) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new InternalError(e);
        }
        clone.root = null;
        clone.size = 0;
        clone.modCount = 0;
        clone.entrySet = null;
        clone.navigableKeySet = null;
        clone.descendingMap = null;
        for (Entry<K, V> e = getFirstEntry(); e != null; e = successor(e)) {
            clone.put(e.key, e.value);
        }
        return clone;
    }

    // ---- navigation

    public Map.Entry<K, V> firstEntry() {
        return snapshot(getFirstEntry());
    }

    public Map.Entry<K, V> lastEntry() {
        return snapshot(getLastEntry());
    }

    public Map.Entry<K, V> pollFirstEntry() {
        Entry<K, V> p = getFirstEntry();
        Map.Entry<K, V> result = snapshot(p);
        if (p != null) {
            deleteEntry(p);
        }
        return result;
    }

    public Map.Entry<K, V> pollLastEntry() {
        Entry<K, V> p = getLastEntry();
        Map.Entry<K, V> result = snapshot(p);
        if (p != null) {
            deleteEntry(p);
        }
        return result;
    }

    public Map.Entry<K, V> lowerEntry(K key) {
        return snapshot(getFloor(key, false));
    }

    public K lowerKey(K key) {
        return keyOrNull(getFloor(key, false));
    }

    public Map.Entry<K, V> floorEntry(K key) {
        return snapshot(getFloor(key, true));
    }

    public K floorKey(K key) {
        return keyOrNull(getFloor(key, true));
    }

    public Map.Entry<K, V> ceilingEntry(K key) {
        return snapshot(getCeiling(key, true));
    }

    public K ceilingKey(K key) {
        return keyOrNull(getCeiling(key, true));
    }

    public Map.Entry<K, V> higherEntry(K key) {
        return snapshot(getCeiling(key, false));
    }

    public K higherKey(K key) {
        return keyOrNull(getCeiling(key, false));
    }

    // ---- views

    private transient Set<Map.Entry<K, V>> entrySet;
    private transient KeyView<K> navigableKeySet;
    private transient NavigableMap<K, V> descendingMap;

    public Set<K> keySet() {
        return navigableKeySet();
    }

    public NavigableSet<K> navigableKeySet() {
        KeyView<K> nks = navigableKeySet;
        return (nks != null) ? nks : (navigableKeySet = new KeyView<>(this));
    }

    public NavigableSet<K> descendingKeySet() {
        return descendingMap().navigableKeySet();
    }

    public Collection<V> values() {
        Collection<V> vs = values;
        if (vs == null) {
            vs = new AbstractCollection<V>() {
                public Iterator<V> iterator() {
                    return new EntryIterator<V>(getFirstEntry(), null, false) {
                        public V next() {
                            return nextEntry().value;
                        }
                    };
                }

                public int size() {
                    return TreeMap.this.size();
                }

                public boolean contains(Object o) {
                    return TreeMap.this.containsValue(o);
                }

                public boolean remove(Object o) {
                    for (Entry<K, V> e = getFirstEntry(); e != null; e = successor(e)) {
                        if (Objects.equals(e.getValue(), o)) {
                            deleteEntry(e);
                            return true;
                        }
                    }
                    return false;
                }

                public void clear() {
                    TreeMap.this.clear();
                }
            };
            values = vs;
        }
        return vs;
    }

    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> es = entrySet;
        if (es == null) {
            es = new AbstractSet<Map.Entry<K, V>>() {
                public Iterator<Map.Entry<K, V>> iterator() {
                    return new EntryIterator<Map.Entry<K, V>>(getFirstEntry(), null, false) {
                        public Map.Entry<K, V> next() {
                            return nextEntry();
                        }
                    };
                }

                public boolean contains(Object o) {
                    if (!(o instanceof Map.Entry<?, ?> entry)) {
                        return false;
                    }
                    Entry<K, V> p = getEntry(entry.getKey());
                    return p != null && Objects.equals(p.getValue(), entry.getValue());
                }

                public boolean remove(Object o) {
                    if (!(o instanceof Map.Entry<?, ?> entry)) {
                        return false;
                    }
                    Entry<K, V> p = getEntry(entry.getKey());
                    if (p != null && Objects.equals(p.getValue(), entry.getValue())) {
                        deleteEntry(p);
                        return true;
                    }
                    return false;
                }

                public int size() {
                    return TreeMap.this.size();
                }

                public void clear() {
                    TreeMap.this.clear();
                }
            };
            entrySet = es;
        }
        return es;
    }

    public NavigableMap<K, V> descendingMap() {
        NavigableMap<K, V> km = descendingMap;
        return (km != null) ? km : (descendingMap = new Range<>(this, true, null, true, true, null, true, true));
    }

    public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        return new Range<>(this, false, fromKey, fromInclusive, false, toKey, toInclusive, false);
    }

    public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
        return new Range<>(this, true, null, true, false, toKey, inclusive, false);
    }

    public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
        return new Range<>(this, false, fromKey, inclusive, true, null, true, false);
    }

    public SortedMap<K, V> subMap(K fromKey, K toKey) {
        return subMap(fromKey, true, toKey, false);
    }

    public SortedMap<K, V> headMap(K toKey) {
        return headMap(toKey, false);
    }

    public SortedMap<K, V> tailMap(K fromKey) {
        return tailMap(fromKey, true);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Entry<K, V> p = getEntry(key);
        if (p != null && Objects.equals(oldValue, p.value)) {
            p.value = newValue;
            return true;
        }
        return false;
    }

    @Override
    public V replace(K key, V value) {
        Entry<K, V> p = getEntry(key);
        if (p != null) {
            V oldValue = p.value;
            p.value = value;
            return oldValue;
        }
        return null;
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action);
        int expectedModCount = modCount;
        for (Entry<K, V> e = getFirstEntry(); e != null; e = successor(e)) {
            action.accept(e.key, e.value);
            if (expectedModCount != modCount) {
                throw new ConcurrentModificationException();
            }
        }
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function);
        int expectedModCount = modCount;
        for (Entry<K, V> e = getFirstEntry(); e != null; e = successor(e)) {
            e.value = function.apply(e.key, e.value);
            if (expectedModCount != modCount) {
                throw new ConcurrentModificationException();
            }
        }
    }

    /** A NavigableSet of a NavigableMap's keys (also what TreeSet's views are). */
    static final class KeyView<E> extends AbstractSet<E> implements NavigableSet<E> {
        private final NavigableMap<E, ?> m;

        KeyView(NavigableMap<E, ?> map) {
            m = map;
        }

        public Iterator<E> iterator() {
            if (m instanceof TreeMap) {
                return ((TreeMap<E, ?>) m).keyIterator();
            }
            return ((Range<E, ?>) m).keyIterator();
        }

        public Iterator<E> descendingIterator() {
            if (m instanceof TreeMap) {
                return ((TreeMap<E, ?>) m).descendingKeyIterator();
            }
            return ((Range<E, ?>) m).descendingKeyIterator();
        }

        public int size() {
            return m.size();
        }

        public boolean isEmpty() {
            return m.isEmpty();
        }

        public boolean contains(Object o) {
            return m.containsKey(o);
        }

        public void clear() {
            m.clear();
        }

        public E lower(E e) {
            return m.lowerKey(e);
        }

        public E floor(E e) {
            return m.floorKey(e);
        }

        public E ceiling(E e) {
            return m.ceilingKey(e);
        }

        public E higher(E e) {
            return m.higherKey(e);
        }

        public E first() {
            return m.firstKey();
        }

        public E last() {
            return m.lastKey();
        }

        public Comparator<? super E> comparator() {
            return m.comparator();
        }

        public E pollFirst() {
            Map.Entry<E, ?> e = m.pollFirstEntry();
            return (e == null) ? null : e.getKey();
        }

        public E pollLast() {
            Map.Entry<E, ?> e = m.pollLastEntry();
            return (e == null) ? null : e.getKey();
        }

        public boolean remove(Object o) {
            int oldSize = size();
            m.remove(o);
            return size() != oldSize;
        }

        public NavigableSet<E> subSet(E fromElement, boolean fromInclusive, E toElement, boolean toInclusive) {
            return new KeyView<>(m.subMap(fromElement, fromInclusive, toElement, toInclusive));
        }

        public NavigableSet<E> headSet(E toElement, boolean inclusive) {
            return new KeyView<>(m.headMap(toElement, inclusive));
        }

        public NavigableSet<E> tailSet(E fromElement, boolean inclusive) {
            return new KeyView<>(m.tailMap(fromElement, inclusive));
        }

        public SortedSet<E> subSet(E fromElement, E toElement) {
            return subSet(fromElement, true, toElement, false);
        }

        public SortedSet<E> headSet(E toElement) {
            return headSet(toElement, false);
        }

        public SortedSet<E> tailSet(E fromElement) {
            return tailSet(fromElement, true);
        }

        public NavigableSet<E> descendingSet() {
            return new KeyView<>(m.descendingMap());
        }
    }

    Iterator<K> keyIterator() {
        return new EntryIterator<K>(getFirstEntry(), null, false) {
            public K next() {
                return nextEntry().key;
            }
        };
    }

    Iterator<K> descendingKeyIterator() {
        return new EntryIterator<K>(getLastEntry(), null, true) {
            public K next() {
                return nextEntry().key;
            }
        };
    }

    /** Walks entries from first up to (excluding) fence, forwards or backwards. */
    abstract class EntryIterator<T> implements Iterator<T> {
        Entry<K, V> next;
        Entry<K, V> lastReturned;
        final Object fenceKey; // an Entry, or null
        final boolean backwards;
        int expectedModCount;

        EntryIterator(Entry<K, V> first, Entry<K, V> fence, boolean backwards) {
            expectedModCount = modCount;
            lastReturned = null;
            next = first;
            fenceKey = fence;
            this.backwards = backwards;
        }

        public final boolean hasNext() {
            return next != null && next != fenceKey;
        }

        final Entry<K, V> nextEntry() {
            Entry<K, V> e = next;
            if (e == null || e == fenceKey) {
                throw new NoSuchElementException();
            }
            if (modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            next = backwards ? predecessor(e) : successor(e);
            lastReturned = e;
            return e;
        }

        public void remove() {
            if (lastReturned == null) {
                throw new IllegalStateException();
            }
            if (modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            // deleting an entry with two children moves its successor's key/value into it
            if (!backwards && lastReturned.left != null && lastReturned.right != null) {
                next = lastReturned;
            }
            deleteEntry(lastReturned);
            expectedModCount = modCount;
            lastReturned = null;
        }
    }

    /**
     * A range of a TreeMap, possibly descending: [lo, hi] with optional open ends and
     * inclusive/exclusive bounds.
     */
    static final class Range<K, V> extends AbstractMap<K, V> implements NavigableMap<K, V>, java.io.Serializable {
        final TreeMap<K, V> m;
        final K lo;
        final K hi;
        final boolean fromStart;
        final boolean toEnd;
        final boolean loInclusive;
        final boolean hiInclusive;
        final boolean descending;

        Range(TreeMap<K, V> m, boolean fromStart, K lo, boolean loInclusive, boolean toEnd, K hi, boolean hiInclusive,
                boolean descending) {
            if (!fromStart && !toEnd) {
                if (m.compare(lo, hi) > 0) {
                    throw new IllegalArgumentException("fromKey > toKey");
                }
            } else {
                if (!fromStart) {
                    m.compare(lo, lo); // type check
                }
                if (!toEnd) {
                    m.compare(hi, hi);
                }
            }
            this.m = m;
            this.fromStart = fromStart;
            this.lo = lo;
            this.loInclusive = loInclusive;
            this.toEnd = toEnd;
            this.hi = hi;
            this.hiInclusive = hiInclusive;
            this.descending = descending;
        }

        final boolean tooLow(Object key) {
            if (!fromStart) {
                int c = m.compare(key, lo);
                return c < 0 || (c == 0 && !loInclusive);
            }
            return false;
        }

        final boolean tooHigh(Object key) {
            if (!toEnd) {
                int c = m.compare(key, hi);
                return c > 0 || (c == 0 && !hiInclusive);
            }
            return false;
        }

        final boolean inRange(Object key) {
            return !tooLow(key) && !tooHigh(key);
        }

        final boolean inClosedRange(Object key) {
            return (fromStart || m.compare(key, lo) >= 0) && (toEnd || m.compare(hi, key) >= 0);
        }

        final boolean inRange(Object key, boolean inclusive) {
            return inclusive ? inRange(key) : inClosedRange(key);
        }

        // ascending-order primitives on the underlying map, clipped to the range
        final TreeMap.Entry<K, V> absLowest() {
            TreeMap.Entry<K, V> e = fromStart ? m.getFirstEntry() : m.getCeiling(lo, loInclusive);
            return (e == null || tooHigh(e.key)) ? null : e;
        }

        final TreeMap.Entry<K, V> absHighest() {
            TreeMap.Entry<K, V> e = toEnd ? m.getLastEntry() : m.getFloor(hi, hiInclusive);
            return (e == null || tooLow(e.key)) ? null : e;
        }

        final TreeMap.Entry<K, V> absCeiling(K key, boolean inclusive) {
            if (tooLow(key)) {
                return absLowest();
            }
            TreeMap.Entry<K, V> e = m.getCeiling(key, inclusive);
            return (e == null || tooHigh(e.key)) ? null : e;
        }

        final TreeMap.Entry<K, V> absFloor(K key, boolean inclusive) {
            if (tooHigh(key)) {
                return absHighest();
            }
            TreeMap.Entry<K, V> e = m.getFloor(key, inclusive);
            return (e == null || tooLow(e.key)) ? null : e;
        }

        /** The first entry beyond the high end (iteration fence), or null. */
        final TreeMap.Entry<K, V> absHighFence() {
            return toEnd ? null : m.getCeiling(hi, !hiInclusive);
        }

        final TreeMap.Entry<K, V> absLowFence() {
            return fromStart ? null : m.getFloor(lo, !loInclusive);
        }

        // directional views of the primitives
        final TreeMap.Entry<K, V> lowest() {
            return descending ? absHighest() : absLowest();
        }

        final TreeMap.Entry<K, V> highest() {
            return descending ? absLowest() : absHighest();
        }

        final TreeMap.Entry<K, V> ceiling(K key, boolean inclusive) {
            return descending ? absFloor(key, inclusive) : absCeiling(key, inclusive);
        }

        final TreeMap.Entry<K, V> floor(K key, boolean inclusive) {
            return descending ? absCeiling(key, inclusive) : absFloor(key, inclusive);
        }

        public boolean containsKey(Object key) {
            return inRange(key) && m.containsKey(key);
        }

        public V put(K key, V value) {
            if (!inRange(key)) {
                throw new IllegalArgumentException("key out of range");
            }
            return m.put(key, value);
        }

        public V get(Object key) {
            return !inRange(key) ? null : m.get(key);
        }

        public V remove(Object key) {
            return !inRange(key) ? null : m.remove(key);
        }

        public int size() {
            if (fromStart && toEnd) {
                return m.size();
            }
            int n = 0;
            for (TreeMap.Entry<K, V> e = absLowest(), fence = absHighFence(); e != null && e != fence; e = successor(e)) {
                n++;
            }
            return n;
        }

        public boolean isEmpty() {
            return (fromStart && toEnd) ? m.isEmpty() : absLowest() == null;
        }

        public Comparator<? super K> comparator() {
            Comparator<? super K> c = m.comparator();
            if (!descending) {
                return c;
            }
            return Collections.reverseOrder(c);
        }

        public K firstKey() {
            return key(lowest());
        }

        public K lastKey() {
            return key(highest());
        }

        public Map.Entry<K, V> firstEntry() {
            return snapshot(lowest());
        }

        public Map.Entry<K, V> lastEntry() {
            return snapshot(highest());
        }

        public Map.Entry<K, V> pollFirstEntry() {
            TreeMap.Entry<K, V> e = lowest();
            Map.Entry<K, V> result = snapshot(e);
            if (e != null) {
                m.deleteEntry(e);
            }
            return result;
        }

        public Map.Entry<K, V> pollLastEntry() {
            TreeMap.Entry<K, V> e = highest();
            Map.Entry<K, V> result = snapshot(e);
            if (e != null) {
                m.deleteEntry(e);
            }
            return result;
        }

        public Map.Entry<K, V> ceilingEntry(K key) {
            return snapshot(ceiling(key, true));
        }

        public K ceilingKey(K key) {
            return keyOrNull(ceiling(key, true));
        }

        public Map.Entry<K, V> higherEntry(K key) {
            return snapshot(ceiling(key, false));
        }

        public K higherKey(K key) {
            return keyOrNull(ceiling(key, false));
        }

        public Map.Entry<K, V> floorEntry(K key) {
            return snapshot(floor(key, true));
        }

        public K floorKey(K key) {
            return keyOrNull(floor(key, true));
        }

        public Map.Entry<K, V> lowerEntry(K key) {
            return snapshot(floor(key, false));
        }

        public K lowerKey(K key) {
            return keyOrNull(floor(key, false));
        }

        public NavigableSet<K> navigableKeySet() {
            return new KeyView<>(this);
        }

        public Set<K> keySet() {
            return navigableKeySet();
        }

        public NavigableSet<K> descendingKeySet() {
            return descendingMap().navigableKeySet();
        }

        public NavigableMap<K, V> descendingMap() {
            return new Range<>(m, fromStart, lo, loInclusive, toEnd, hi, hiInclusive, !descending);
        }

        public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
            if (descending) {
                // in descending order "from" is the high end
                checkSubRange(toKey, toInclusive, fromKey, fromInclusive);
                return new Range<>(m, false, toKey, toInclusive, false, fromKey, fromInclusive, true);
            }
            checkSubRange(fromKey, fromInclusive, toKey, toInclusive);
            return new Range<>(m, false, fromKey, fromInclusive, false, toKey, toInclusive, false);
        }

        private void checkSubRange(K low, boolean lowInclusive, K high, boolean highInclusive) {
            if (!inRange(low, lowInclusive)) {
                throw new IllegalArgumentException(descending ? "toKey out of range" : "fromKey out of range");
            }
            if (!inRange(high, highInclusive)) {
                throw new IllegalArgumentException(descending ? "fromKey out of range" : "toKey out of range");
            }
        }

        public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
            if (!inRange(toKey, inclusive)) {
                throw new IllegalArgumentException("toKey out of range");
            }
            if (descending) {
                return new Range<>(m, false, toKey, inclusive, toEnd, hi, hiInclusive, true);
            }
            return new Range<>(m, fromStart, lo, loInclusive, false, toKey, inclusive, false);
        }

        public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
            if (!inRange(fromKey, inclusive)) {
                throw new IllegalArgumentException("fromKey out of range");
            }
            if (descending) {
                return new Range<>(m, fromStart, lo, loInclusive, false, fromKey, inclusive, true);
            }
            return new Range<>(m, false, fromKey, inclusive, toEnd, hi, hiInclusive, false);
        }

        public SortedMap<K, V> subMap(K fromKey, K toKey) {
            return subMap(fromKey, true, toKey, false);
        }

        public SortedMap<K, V> headMap(K toKey) {
            return headMap(toKey, false);
        }

        public SortedMap<K, V> tailMap(K fromKey) {
            return tailMap(fromKey, true);
        }

        Iterator<K> keyIterator() {
            return descending ? descendingIter(e -> e.key) : ascendingIter(e -> e.key);
        }

        Iterator<K> descendingKeyIterator() {
            return descending ? ascendingIter(e -> e.key) : descendingIter(e -> e.key);
        }

        private <T> Iterator<T> ascendingIter(java.util.function.Function<TreeMap.Entry<K, V>, T> f) {
            return m.new EntryIterator<T>(absLowest(), absHighFence(), false) {
                public T next() {
                    return f.apply(nextEntry());
                }
            };
        }

        private <T> Iterator<T> descendingIter(java.util.function.Function<TreeMap.Entry<K, V>, T> f) {
            return m.new EntryIterator<T>(absHighest(), absLowFence(), true) {
                public T next() {
                    return f.apply(nextEntry());
                }
            };
        }

        public Set<Map.Entry<K, V>> entrySet() {
            return new AbstractSet<Map.Entry<K, V>>() {
                public Iterator<Map.Entry<K, V>> iterator() {
                    return descending ? descendingIter(e -> e) : ascendingIter(e -> e);
                }

                public int size() {
                    return Range.this.size();
                }

                public boolean isEmpty() {
                    return Range.this.isEmpty();
                }

                public boolean contains(Object o) {
                    if (!(o instanceof Map.Entry<?, ?> entry)) {
                        return false;
                    }
                    Object key = entry.getKey();
                    if (!inRange(key)) {
                        return false;
                    }
                    TreeMap.Entry<K, V> node = m.getEntry(key);
                    return node != null && Objects.equals(node.getValue(), entry.getValue());
                }

                public boolean remove(Object o) {
                    if (!(o instanceof Map.Entry<?, ?> entry)) {
                        return false;
                    }
                    Object key = entry.getKey();
                    if (!inRange(key)) {
                        return false;
                    }
                    TreeMap.Entry<K, V> node = m.getEntry(key);
                    if (node != null && Objects.equals(node.getValue(), entry.getValue())) {
                        m.deleteEntry(node);
                        return true;
                    }
                    return false;
                }
            };
        }
    }

    // ---- tree primitives

    static <K, V> Map.Entry<K, V> snapshot(TreeMap.Entry<K, V> e) {
        return (e == null) ? null : new AbstractMap.SimpleImmutableEntry<>(e);
    }

    static <K, V> K keyOrNull(TreeMap.Entry<K, V> e) {
        return (e == null) ? null : e.key;
    }

    static <K> K key(Entry<K, ?> e) {
        if (e == null) {
            throw new NoSuchElementException();
        }
        return e.key;
    }

    final Entry<K, V> getFirstEntry() {
        Entry<K, V> p = root;
        if (p != null) {
            while (p.left != null) {
                p = p.left;
            }
        }
        return p;
    }

    final Entry<K, V> getLastEntry() {
        Entry<K, V> p = root;
        if (p != null) {
            while (p.right != null) {
                p = p.right;
            }
        }
        return p;
    }

    static <K, V> TreeMap.Entry<K, V> successor(Entry<K, V> t) {
        if (t == null) {
            return null;
        }
        if (t.right != null) {
            Entry<K, V> p = t.right;
            while (p.left != null) {
                p = p.left;
            }
            return p;
        }
        Entry<K, V> p = t.parent;
        Entry<K, V> ch = t;
        while (p != null && ch == p.right) {
            ch = p;
            p = p.parent;
        }
        return p;
    }

    static <K, V> Entry<K, V> predecessor(Entry<K, V> t) {
        if (t == null) {
            return null;
        }
        if (t.left != null) {
            Entry<K, V> p = t.left;
            while (p.right != null) {
                p = p.right;
            }
            return p;
        }
        Entry<K, V> p = t.parent;
        Entry<K, V> ch = t;
        while (p != null && ch == p.left) {
            ch = p;
            p = p.parent;
        }
        return p;
    }

    private static <K, V> boolean isBlack(Entry<K, V> p) {
        return p == null || p.black;
    }

    // The red-black fix-ups are written once for both mirror images: `left`
    // names the side the walk is on, `!left` the sibling side.

    private static <K, V> Entry<K, V> parent(Entry<K, V> p) {
        return p == null ? null : p.parent;
    }

    private static <K, V> Entry<K, V> child(Entry<K, V> p, boolean left) {
        return p == null ? null : left ? p.left : p.right;
    }

    private static <K, V> void setChild(Entry<K, V> p, boolean left, Entry<K, V> c) {
        if (left) {
            p.left = c;
        } else {
            p.right = c;
        }
    }

    private static <K, V> void paint(Entry<K, V> p, boolean black) {
        if (p != null) {
            p.black = black;
        }
    }

    /**
     * Rotates at p towards side {@code left}: p's child on the other side takes p's place and
     * p becomes that child's {@code left}-side child.
     */
    private void rotate(Entry<K, V> p, boolean left) {
        if (p == null) {
            return;
        }
        Entry<K, V> up = child(p, !left);
        Entry<K, V> inner = child(up, left);
        setChild(p, !left, inner);
        if (inner != null) {
            inner.parent = p;
        }
        up.parent = p.parent;
        if (p.parent == null) {
            root = up;
        } else {
            setChild(p.parent, p.parent.left == p, up);
        }
        setChild(up, left, p);
        p.parent = up;
    }

    /** CLR insert fix-up for the new node x. */
    private void fixAfterInsertion(Entry<K, V> x) {
        x.black = false;
        while (x != null && x != root && !x.parent.black) {
            Entry<K, V> above = x.parent;
            Entry<K, V> grand = parent(above);
            boolean left = above == child(grand, true);
            Entry<K, V> uncle = child(grand, !left);
            if (!isBlack(uncle)) {
                paint(above, true);
                paint(uncle, true);
                paint(grand, false);
                x = grand;
                continue;
            }
            if (x == child(above, !left)) {
                // the inner case: first turn it into the outer one
                x = above;
                rotate(x, left);
            }
            paint(parent(x), true);
            paint(parent(parent(x)), false);
            rotate(parent(parent(x)), !left);
        }
        root.black = true;
    }

    /** Removes p; an inner node first takes its successor's key and value. */
    final void deleteEntry(Entry<K, V> p) {
        modCount++;
        size--;
        if (p.left != null && p.right != null) {
            Entry<K, V> s = successor(p);
            p.key = s.key;
            p.value = s.value;
            p = s;
        }
        Entry<K, V> replacement = (p.left != null) ? p.left : p.right;
        if (replacement != null) {
            replacement.parent = p.parent;
            if (p.parent == null) {
                root = replacement;
            } else if (p == p.parent.left) {
                p.parent.left = replacement;
            } else {
                p.parent.right = replacement;
            }
            p.left = p.right = p.parent = null;
            if (p.black) {
                fixAfterDeletion(replacement);
            }
        } else if (p.parent == null) {
            root = null;
        } else {
            if (p.black) {
                fixAfterDeletion(p);
            }
            if (p.parent != null) {
                if (p == p.parent.left) {
                    p.parent.left = null;
                } else if (p == p.parent.right) {
                    p.parent.right = null;
                }
                p.parent = null;
            }
        }
    }

    /** CLR delete fix-up starting at x (a node that carries an extra black). */
    private void fixAfterDeletion(Entry<K, V> x) {
        while (x != root && isBlack(x)) {
            boolean left = x == child(parent(x), true);
            Entry<K, V> sibling = child(parent(x), !left);
            if (!isBlack(sibling)) {
                paint(sibling, true);
                paint(parent(x), false);
                rotate(parent(x), left);
                sibling = child(parent(x), !left);
            }
            if (isBlack(child(sibling, true)) && isBlack(child(sibling, false))) {
                paint(sibling, false);
                x = parent(x);
                continue;
            }
            if (isBlack(child(sibling, !left))) {
                paint(child(sibling, left), true);
                paint(sibling, false);
                rotate(sibling, !left);
                sibling = child(parent(x), !left);
            }
            paint(sibling, isBlack(parent(x)));
            paint(parent(x), true);
            paint(child(sibling, !left), true);
            rotate(parent(x), left);
            x = root;
        }
        paint(x, true);
    }
}
