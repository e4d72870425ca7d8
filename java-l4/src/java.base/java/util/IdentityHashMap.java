// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * A map comparing keys (and values, in containsValue/remove(k, v)) by reference. Buckets by
 * System.identityHashCode with separate chaining; the iteration order is unspecified (the
 * JDK's depends on identity hash codes too).
 */
public class IdentityHashMap<K, V> extends AbstractMap<K, V> implements Map<K, V>, java.io.Serializable, Cloneable {
    private static final class Cell<K, V> implements Map.Entry<K, V> {
        final K key;
        V value;
        Cell<K, V> next;

        Cell(K key, V value, Cell<K, V> next) {
            this.key = key;
            this.value = value;
            this.next = next;
        }

        public K getKey() {
            return key;
        }

        public V getValue() {
            return value;
        }

        public V setValue(V value) {
            V old = this.value;
            this.value = value;
            return old;
        }

        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key == e.getKey() && value == e.getValue();
        }

        public int hashCode() {
            return System.identityHashCode(key) ^ System.identityHashCode(value);
        }

        public String toString() {
            return key + "=" + value;
        }
    }

    private transient Cell<?, ?>[] table;
    private transient int size;
    private transient int modCount;

    public IdentityHashMap() {
        table = new Cell<?, ?>[32];
    }

    public IdentityHashMap(int expectedMaxSize) {
        if (expectedMaxSize < 0) {
            throw new IllegalArgumentException("expectedMaxSize is negative: " + expectedMaxSize);
        }
        int n = 4;
        while (n < expectedMaxSize * 2 && n < (1 << 29)) {
            n <<= 1;
        }
        table = new Cell<?, ?>[n];
    }

    public IdentityHashMap(Map<? extends K, ? extends V> m) {
        this((int) ((1 + m.size()) * 1.1));
        putAll(m);
    }

    private int indexFor(Object key) {
        int h = System.identityHashCode(key);
        h ^= h >>> 16;
        return h & (table.length - 1);
    }

    @SuppressWarnings("unchecked")
    private Cell<K, V> find(Object key) {
        for (Cell<?, ?> c = table[indexFor(key)]; c != null; c = c.next) {
            if (c.key == key) {
                return (Cell<K, V>) c;
            }
        }
        return null;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public V get(Object key) {
        Cell<K, V> c = find(key);
        return c == null ? null : c.value;
    }

    public boolean containsKey(Object key) {
        return find(key) != null;
    }

    public boolean containsValue(Object value) {
        for (Cell<?, ?> head : table) {
            for (Cell<?, ?> c = head; c != null; c = c.next) {
                if (c.value == value) {
                    return true;
                }
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        Cell<K, V> c = find(key);
        if (c != null) {
            V old = c.value;
            c.value = value;
            return old;
        }
        if (size >= table.length / 2) {
            Cell<?, ?>[] old = table;
            table = new Cell<?, ?>[old.length * 2];
            for (Cell<?, ?> head : old) {
                for (Cell<?, ?> e = head; e != null; ) {
                    Cell<?, ?> next = e.next;
                    int i = indexFor(e.key);
                    ((Cell<Object, Object>) e).next = (Cell<Object, Object>) table[i];
                    table[i] = e;
                    e = next;
                }
            }
        }
        int i = indexFor(key);
        table[i] = new Cell<>(key, value, (Cell<K, V>) table[i]);
        size++;
        modCount++;
        return null;
    }

    public void putAll(Map<? extends K, ? extends V> m) {
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        int i = indexFor(key);
        Cell<K, V> prev = null;
        for (Cell<K, V> c = (Cell<K, V>) table[i]; c != null; prev = c, c = c.next) {
            if (c.key == key) {
                if (prev == null) {
                    table[i] = c.next;
                } else {
                    prev.next = c.next;
                }
                size--;
                modCount++;
                return c.value;
            }
        }
        return null;
    }

    public void clear() {
        modCount++;
        Arrays.fill(table, null);
        size = 0;
    }

    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof IdentityHashMap<?, ?> m) {
            if (m.size() != size) {
                return false;
            }
            for (Map.Entry<K, V> e : entrySet()) {
                if (!m.containsKey(e.getKey()) || m.get(e.getKey()) != e.getValue()) {
                    return false;
                }
            }
            return true;
        }
        return super.equals(o);
    }

    public int hashCode() {
        int h = 0;
        for (Map.Entry<K, V> e : entrySet()) {
            h += e.hashCode();
        }
        return h;
    }

    @SuppressWarnings("unchecked")
    public Object clone() {
        try {
            IdentityHashMap<K, V> m = (IdentityHashMap<K, V>) super.clone();
            m.table = new Cell<?, ?>[table.length];
            m.size = 0;
            m.modCount = 0;
            m.entrySet = null;
            for (Map.Entry<K, V> e : entrySet()) {
                m.put(e.getKey(), e.getValue());
            }
            return m;
        } catch (CloneNotSupportedException e) {
            throw new InternalError(e);
        }
    }

    private transient Set<Map.Entry<K, V>> entrySet;

    public Set<Map.Entry<K, V>> entrySet() {
        if (entrySet == null) {
            entrySet = new AbstractSet<Map.Entry<K, V>>() {
                public Iterator<Map.Entry<K, V>> iterator() {
                    return new Iterator<Map.Entry<K, V>>() {
                        int index = 0;
                        Cell<?, ?> next;
                        Cell<?, ?> last;
                        int expectedModCount = modCount;

                        public boolean hasNext() {
                            while (next == null && index < table.length) {
                                next = table[index++];
                            }
                            return next != null;
                        }

                        @SuppressWarnings("unchecked")
                        public Map.Entry<K, V> next() {
                            if (modCount != expectedModCount) {
                                throw new ConcurrentModificationException();
                            }
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            last = next;
                            next = next.next;
                            return (Map.Entry<K, V>) last;
                        }

                        public void remove() {
                            if (last == null) {
                                throw new IllegalStateException();
                            }
                            if (modCount != expectedModCount) {
                                throw new ConcurrentModificationException();
                            }
                            IdentityHashMap.this.remove(last.key);
                            expectedModCount = modCount;
                            last = null;
                        }
                    };
                }

                public int size() {
                    return size;
                }

                public boolean contains(Object o) {
                    return o instanceof Map.Entry<?, ?> e && containsKey(e.getKey()) && get(e.getKey()) == e.getValue();
                }

                public boolean remove(Object o) {
                    if (contains(o)) {
                        IdentityHashMap.this.remove(((Map.Entry<?, ?>) o).getKey());
                        return true;
                    }
                    return false;
                }

                public void clear() {
                    IdentityHashMap.this.clear();
                }
            };
        }
        return entrySet;
    }

    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action);
        int expected = modCount;
        for (Map.Entry<K, V> e : entrySet()) {
            action.accept(e.getKey(), e.getValue());
            if (expected != modCount) {
                throw new ConcurrentModificationException();
            }
        }
    }

    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function);
        for (Map.Entry<K, V> e : entrySet()) {
            e.setValue(function.apply(e.getKey(), e.getValue()));
        }
    }
}
