// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The legacy hash table: no null keys or values. Order as JDK 17 (black-box): bucket
 * (hash & 0x7fffffff) % length, new entries at the head of their bucket, the table grows to
 * 2n+1 before adding an entry when count >= capacity * loadFactor (re-inserting from the last
 * bucket to the first), and iteration runs from the last bucket to the first.
 */
public class Hashtable<K, V> extends Dictionary<K, V> implements Map<K, V>, Cloneable, java.io.Serializable {
    private static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

    private static final class Cell<K, V> implements Map.Entry<K, V> {
        final int hash;
        final K key;
        V value;
        Cell<K, V> next;

        Cell(int hash, K key, V value, Cell<K, V> next) {
            this.hash = hash;
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
            if (value == null) {
                throw new NullPointerException();
            }
            V old = this.value;
            this.value = value;
            return old;
        }

        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && (key == null ? e.getKey() == null : key.equals(e.getKey()))
                    && (value == null ? e.getValue() == null : value.equals(e.getValue()));
        }

        public int hashCode() {
            return hash ^ Objects.hashCode(value);
        }

        public String toString() {
            return key.toString() + "=" + value.toString();
        }
    }

    private transient Cell<?, ?>[] table;
    private transient int count;
    private int threshold;
    private final float loadFactor;
    private transient int modCount = 0;

    public Hashtable(int initialCapacity, float loadFactor) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("Illegal Capacity: " + initialCapacity);
        }
        if (loadFactor <= 0 || Float.isNaN(loadFactor)) {
            throw new IllegalArgumentException("Illegal Load: " + loadFactor);
        }
        if (initialCapacity == 0) {
            initialCapacity = 1;
        }
        this.loadFactor = loadFactor;
        table = new Cell<?, ?>[initialCapacity];
        threshold = (int) Math.min(initialCapacity * loadFactor, MAX_ARRAY_SIZE + 1);
    }

    public Hashtable(int initialCapacity) {
        this(initialCapacity, 0.75f);
    }

    public Hashtable() {
        this(11, 0.75f);
    }

    public Hashtable(Map<? extends K, ? extends V> t) {
        this(Math.max(2 * t.size(), 11), 0.75f);
        putAll(t);
    }

    private int indexFor(int hash) {
        return (hash & 0x7FFFFFFF) % table.length;
    }

    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public Enumeration<K> keys() {
        Iterator<K> it = keySet().iterator();
        return new Enumeration<K>() {
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            public K nextElement() {
                return it.next();
            }
        };
    }

    public Enumeration<V> elements() {
        Iterator<V> it = values().iterator();
        return new Enumeration<V>() {
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            public V nextElement() {
                return it.next();
            }
        };
    }

    public boolean contains(Object value) {
        if (value == null) {
            throw new NullPointerException();
        }
        for (int i = table.length; i-- > 0; ) {
            for (Cell<?, ?> e = table[i]; e != null; e = e.next) {
                if (e.value.equals(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean containsValue(Object value) {
        return contains(value);
    }

    @SuppressWarnings("unchecked")
    private Cell<K, V> find(Object key) {
        int hash = key.hashCode();
        for (Cell<?, ?> e = table[indexFor(hash)]; e != null; e = e.next) {
            if (e.hash == hash && e.key.equals(key)) {
                return (Cell<K, V>) e;
            }
        }
        return null;
    }

    public boolean containsKey(Object key) {
        return find(key) != null;
    }

    public V get(Object key) {
        Cell<K, V> e = find(key);
        return e == null ? null : e.value;
    }

    @SuppressWarnings("unchecked")
    protected void rehash() {
        int oldCapacity = table.length;
        Cell<?, ?>[] oldMap = table;
        int newCapacity = (oldCapacity << 1) + 1;
        if (newCapacity - MAX_ARRAY_SIZE > 0) {
            if (oldCapacity == MAX_ARRAY_SIZE) {
                return;
            }
            newCapacity = MAX_ARRAY_SIZE;
        }
        Cell<?, ?>[] newMap = new Cell<?, ?>[newCapacity];
        modCount++;
        threshold = (int) Math.min(newCapacity * loadFactor, MAX_ARRAY_SIZE + 1);
        table = newMap;
        for (int i = oldCapacity; i-- > 0; ) {
            for (Cell<K, V> old = (Cell<K, V>) oldMap[i]; old != null; ) {
                Cell<K, V> e = old;
                old = old.next;
                int index = indexFor(e.hash);
                e.next = (Cell<K, V>) newMap[index];
                newMap[index] = e;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void addEntry(int hash, K key, V value) {
        if (count >= threshold) {
            rehash();
        }
        int index = indexFor(hash);
        table[index] = new Cell<>(hash, key, value, (Cell<K, V>) table[index]);
        count++;
        modCount++;
    }

    public V put(K key, V value) {
        if (value == null) {
            throw new NullPointerException();
        }
        Cell<K, V> e = find(key);
        if (e != null) {
            V old = e.value;
            e.value = value;
            return old;
        }
        addEntry(key.hashCode(), key, value);
        return null;
    }

    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        int hash = key.hashCode();
        int index = indexFor(hash);
        Cell<K, V> prev = null;
        for (Cell<K, V> e = (Cell<K, V>) table[index]; e != null; prev = e, e = e.next) {
            if (e.hash == hash && e.key.equals(key)) {
                if (prev != null) {
                    prev.next = e.next;
                } else {
                    table[index] = e.next;
                }
                modCount++;
                count--;
                V old = e.value;
                e.value = null;
                return old;
            }
        }
        return null;
    }

    public void putAll(Map<? extends K, ? extends V> t) {
        for (Map.Entry<? extends K, ? extends V> e : t.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    public void clear() {
        for (int i = table.length; --i >= 0; ) {
            table[i] = null;
        }
        modCount++;
        count = 0;
    }

    @SuppressWarnings("unchecked")
    public Object clone() {
        try {
            Hashtable<K, V> t = (Hashtable<K, V>) super.clone();
            t.table = new Cell<?, ?>[table.length];
            for (int i = table.length; i-- > 0; ) {
                // copy each chain keeping its order
                Cell<K, V> head = null;
                Cell<K, V> tail = null;
                for (Cell<K, V> e = (Cell<K, V>) table[i]; e != null; e = e.next) {
                    Cell<K, V> c = new Cell<>(e.hash, e.key, e.value, null);
                    if (tail == null) {
                        head = c;
                    } else {
                        tail.next = c;
                    }
                    tail = c;
                }
                t.table[i] = head;
            }
            t.keySet = null;
            t.entrySet = null;
            t.values = null;
            t.modCount = 0;
            return t;
        } catch (CloneNotSupportedException e) {
            throw new InternalError(e);
        }
    }

    public String toString() {
        int max = size() - 1;
        if (max == -1) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder();
        Iterator<Map.Entry<K, V>> it = entrySet().iterator();
        sb.append('{');
        for (int i = 0; ; i++) {
            Map.Entry<K, V> e = it.next();
            K key = e.getKey();
            V value = e.getValue();
            sb.append(key == this ? "(this Map)" : key.toString());
            sb.append('=');
            sb.append(value == this ? "(this Map)" : value.toString());
            if (i == max) {
                return sb.append('}').toString();
            }
            sb.append(", ");
        }
    }

    private transient Set<K> keySet;
    private transient Set<Map.Entry<K, V>> entrySet;
    private transient Collection<V> values;

    /** Iterates from the last bucket to the first. */
    private final class Walker<T> implements Iterator<T> {
        final int kind; // 0 keys, 1 values, 2 entries
        int index = table.length;
        Cell<?, ?> entry;
        Cell<?, ?> lastReturned;
        int expectedModCount = modCount;

        Walker(int kind) {
            this.kind = kind;
        }

        public boolean hasNext() {
            while (entry == null && index > 0) {
                entry = table[--index];
            }
            return entry != null;
        }

        @SuppressWarnings("unchecked")
        public T next() {
            if (modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            if (!hasNext()) {
                throw new NoSuchElementException("Hashtable Enumerator");
            }
            Cell<?, ?> e = lastReturned = entry;
            entry = e.next;
            return (T) (kind == 0 ? e.key : kind == 1 ? e.value : e);
        }

        public void remove() {
            if (lastReturned == null) {
                throw new IllegalStateException("Hashtable Enumerator");
            }
            if (modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            Hashtable.this.remove(lastReturned.key);
            expectedModCount = modCount;
            lastReturned = null;
        }
    }

    public Set<K> keySet() {
        if (keySet == null) {
            keySet = new AbstractSet<K>() {
                public Iterator<K> iterator() {
                    return new Walker<>(0);
                }

                public int size() {
                    return count;
                }

                public boolean contains(Object o) {
                    return containsKey(o);
                }

                public boolean remove(Object o) {
                    return Hashtable.this.remove(o) != null;
                }

                public void clear() {
                    Hashtable.this.clear();
                }
            };
        }
        return keySet;
    }

    public Set<Map.Entry<K, V>> entrySet() {
        if (entrySet == null) {
            entrySet = new AbstractSet<Map.Entry<K, V>>() {
                public Iterator<Map.Entry<K, V>> iterator() {
                    return new Walker<>(2);
                }

                public boolean add(Map.Entry<K, V> o) {
                    return super.add(o);
                }

                public boolean contains(Object o) {
                    if (!(o instanceof Map.Entry<?, ?> entry)) {
                        return false;
                    }
                    Object key = entry.getKey();
                    Cell<K, V> e = find(key);
                    return e != null && e.equals(entry);
                }

                public boolean remove(Object o) {
                    if (!contains(o)) {
                        return false;
                    }
                    Hashtable.this.remove(((Map.Entry<?, ?>) o).getKey());
                    return true;
                }

                public int size() {
                    return count;
                }

                public void clear() {
                    Hashtable.this.clear();
                }
            };
        }
        return entrySet;
    }

    public Collection<V> values() {
        if (values == null) {
            values = new AbstractCollection<V>() {
                public Iterator<V> iterator() {
                    return new Walker<>(1);
                }

                public int size() {
                    return count;
                }

                public boolean contains(Object o) {
                    return containsValue(o);
                }

                public void clear() {
                    Hashtable.this.clear();
                }
            };
        }
        return values;
    }

    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Map<?, ?> t)) {
            return false;
        }
        if (t.size() != size()) {
            return false;
        }
        try {
            for (Map.Entry<K, V> e : entrySet()) {
                K key = e.getKey();
                V value = e.getValue();
                if (value == null) {
                    if (!(t.get(key) == null && t.containsKey(key))) {
                        return false;
                    }
                } else if (!value.equals(t.get(key))) {
                    return false;
                }
            }
        } catch (ClassCastException | NullPointerException unused) {
            return false;
        }
        return true;
    }

    public int hashCode() {
        int h = 0;
        for (int i = table.length; i-- > 0; ) {
            for (Cell<?, ?> e = table[i]; e != null; e = e.next) {
                h += e.hashCode();
            }
        }
        return h;
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        V result = get(key);
        return (null == result) ? defaultValue : result;
    }

    @Override
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

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function);
        for (Map.Entry<K, V> e : entrySet()) {
            e.setValue(Objects.requireNonNull(function.apply(e.getKey(), e.getValue())));
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(value);
        Cell<K, V> e = find(key);
        if (e != null) {
            V old = e.value;
            if (old == null) {
                e.value = value;
            }
            return old;
        }
        addEntry(key.hashCode(), key, value);
        return null;
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(value);
        Cell<K, V> e = find(key);
        if (e != null && e.value.equals(value)) {
            remove(key);
            return true;
        }
        return false;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(oldValue);
        Objects.requireNonNull(newValue);
        Cell<K, V> e = find(key);
        if (e != null && e.value.equals(oldValue)) {
            e.value = newValue;
            return true;
        }
        return false;
    }

    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(value);
        Cell<K, V> e = find(key);
        if (e != null) {
            V old = e.value;
            e.value = value;
            return old;
        }
        return null;
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        Objects.requireNonNull(mappingFunction);
        Cell<K, V> e = find(key);
        if (e != null) {
            return e.value;
        }
        int mc = modCount;
        V newValue = mappingFunction.apply(key);
        if (mc != modCount) {
            throw new ConcurrentModificationException();
        }
        if (newValue != null) {
            addEntry(key.hashCode(), key, newValue);
        }
        return newValue;
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction);
        Cell<K, V> e = find(key);
        if (e == null) {
            return null;
        }
        int mc = modCount;
        V newValue = remappingFunction.apply(key, e.value);
        if (mc != modCount) {
            throw new ConcurrentModificationException();
        }
        if (newValue == null) {
            remove(key);
        } else {
            e.value = newValue;
        }
        return newValue;
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction);
        Cell<K, V> e = find(key);
        int mc = modCount;
        V newValue = remappingFunction.apply(key, e == null ? null : e.value);
        if (mc != modCount) {
            throw new ConcurrentModificationException();
        }
        if (e != null) {
            if (newValue == null) {
                remove(key);
            } else {
                e.value = newValue;
            }
        } else if (newValue != null) {
            addEntry(key.hashCode(), key, newValue);
        }
        return newValue;
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction);
        Objects.requireNonNull(value);
        Cell<K, V> e = find(key);
        if (e != null) {
            int mc = modCount;
            V newValue = remappingFunction.apply(e.value, value);
            if (mc != modCount) {
                throw new ConcurrentModificationException();
            }
            if (newValue == null) {
                remove(key);
            } else {
                e.value = newValue;
            }
            return newValue;
        }
        addEntry(key.hashCode(), key, value);
        return value;
    }
}
