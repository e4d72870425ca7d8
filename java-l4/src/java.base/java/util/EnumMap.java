// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

/**
 * A map with enum keys. Each of the key type's constants owns one cell, at its ordinal: a
 * flag says whether the constant is mapped (null values are allowed, so the value alone
 * cannot say) and a slot holds its value. Iteration follows ordinal order, and iterators are
 * weakly consistent (they read the cells as they go).
 */
public class EnumMap<K extends Enum<K>, V> extends AbstractMap<K, V> implements java.io.Serializable, Cloneable {
    private final Class<K> type;
    private transient K[] constants;
    private transient boolean[] mapped;
    private transient Object[] slots;
    private transient int count;
    private transient Set<Map.Entry<K, V>> entries;

    public EnumMap(Class<K> keyType) {
        type = keyType;
        constants = keyType.getEnumConstants();
        mapped = new boolean[constants.length];
        slots = new Object[constants.length];
    }

    public EnumMap(EnumMap<K, ? extends V> m) {
        type = m.type;
        constants = m.constants;
        mapped = m.mapped.clone();
        slots = m.slots.clone();
        count = m.count;
    }

    @SuppressWarnings("unchecked")
    public EnumMap(Map<K, ? extends V> m) {
        if (m instanceof EnumMap) {
            EnumMap<K, ? extends V> other = (EnumMap<K, ? extends V>) m;
            type = other.type;
            constants = other.constants;
            mapped = other.mapped.clone();
            slots = other.slots.clone();
            count = other.count;
            return;
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("Specified map is empty");
        }
        type = m.keySet().iterator().next().getDeclaringClass();
        constants = type.getEnumConstants();
        mapped = new boolean[constants.length];
        slots = new Object[constants.length];
        putAll(m);
    }

    /** The cell of {@code key}, or -1 when it is not a constant of the key type. */
    private int cellOf(Object key) {
        if (key == null) {
            return -1;
        }
        Class<?> c = key.getClass();
        // A constant with a body is an instance of an anonymous subclass of the enum.
        if (c != type && c.getSuperclass() != type) {
            return -1;
        }
        return ((Enum<?>) key).ordinal();
    }

    @SuppressWarnings("unchecked")
    private V valueAt(int cell) {
        return (V) slots[cell];
    }

    public int size() {
        return count;
    }

    public boolean containsKey(Object key) {
        int cell = cellOf(key);
        return cell >= 0 && mapped[cell];
    }

    public boolean containsValue(Object value) {
        for (int cell = 0; cell < slots.length; cell++) {
            if (mapped[cell] && Objects.equals(value, slots[cell])) {
                return true;
            }
        }
        return false;
    }

    public V get(Object key) {
        int cell = cellOf(key);
        return cell >= 0 ? valueAt(cell) : null;
    }

    public V put(K key, V value) {
        int cell = cellOf(key);
        if (cell < 0) {
            // Also the NullPointerException a null key must raise.
            throw new ClassCastException(key.getClass() + " != " + type);
        }
        V previous = valueAt(cell);
        slots[cell] = value;
        if (!mapped[cell]) {
            mapped[cell] = true;
            count++;
        }
        return previous;
    }

    public V remove(Object key) {
        int cell = cellOf(key);
        return cell >= 0 ? clearCell(cell) : null;
    }

    private V clearCell(int cell) {
        V previous = valueAt(cell);
        if (mapped[cell]) {
            mapped[cell] = false;
            slots[cell] = null;
            count--;
        }
        return previous;
    }

    public void putAll(Map<? extends K, ? extends V> m) {
        super.putAll(m);
    }

    public void clear() {
        for (int cell = 0; cell < slots.length; cell++) {
            mapped[cell] = false;
            slots[cell] = null;
        }
        count = 0;
    }

    /** Walks the mapped cells in ordinal order; {@link #at} turns a cell into an element. */
    private abstract class CellIterator<T> implements Iterator<T> {
        private int next = 0;
        private int current = -1;

        abstract T at(int cell);

        public boolean hasNext() {
            while (next < mapped.length && !mapped[next]) {
                next++;
            }
            return next < mapped.length;
        }

        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            current = next++;
            return at(current);
        }

        public void remove() {
            if (current < 0) {
                throw new IllegalStateException();
            }
            clearCell(current);
            current = -1;
        }
    }

    /** The mapping of one cell, live: it reads and writes the map. */
    private final class CellEntry implements Map.Entry<K, V> {
        private final int cell;

        CellEntry(int cell) {
            this.cell = cell;
        }

        public K getKey() {
            return constants[cell];
        }

        public V getValue() {
            return valueAt(cell);
        }

        public V setValue(V value) {
            V previous = valueAt(cell);
            slots[cell] = value;
            return previous;
        }

        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && getKey() == e.getKey() && Objects.equals(getValue(), e.getValue());
        }

        public int hashCode() {
            return getKey().hashCode() ^ Objects.hashCode(getValue());
        }

        public String toString() {
            return getKey() + "=" + getValue();
        }
    }

    public Set<Map.Entry<K, V>> entrySet() {
        if (entries == null) {
            entries = new AbstractSet<Map.Entry<K, V>>() {
                public Iterator<Map.Entry<K, V>> iterator() {
                    return new CellIterator<Map.Entry<K, V>>() {
                        Map.Entry<K, V> at(int cell) {
                            return new CellEntry(cell);
                        }
                    };
                }

                public boolean contains(Object o) {
                    return o instanceof Map.Entry<?, ?> e && containsKey(e.getKey())
                            && Objects.equals(get(e.getKey()), e.getValue());
                }

                public boolean remove(Object o) {
                    if (!contains(o)) {
                        return false;
                    }
                    EnumMap.this.remove(((Map.Entry<?, ?>) o).getKey());
                    return true;
                }

                public int size() {
                    return count;
                }

                public void clear() {
                    EnumMap.this.clear();
                }
            };
        }
        return entries;
    }

    public Set<K> keySet() {
        if (keySet == null) {
            keySet = new AbstractSet<K>() {
                public Iterator<K> iterator() {
                    return new CellIterator<K>() {
                        K at(int cell) {
                            return constants[cell];
                        }
                    };
                }

                public int size() {
                    return count;
                }

                public boolean contains(Object o) {
                    return containsKey(o);
                }

                public boolean remove(Object o) {
                    if (!containsKey(o)) {
                        return false;
                    }
                    EnumMap.this.remove(o);
                    return true;
                }

                public void clear() {
                    EnumMap.this.clear();
                }
            };
        }
        return keySet;
    }

    public Collection<V> values() {
        if (values == null) {
            values = new AbstractCollection<V>() {
                public Iterator<V> iterator() {
                    return new CellIterator<V>() {
                        V at(int cell) {
                            return valueAt(cell);
                        }
                    };
                }

                public int size() {
                    return count;
                }

                public boolean contains(Object o) {
                    return containsValue(o);
                }

                public void clear() {
                    EnumMap.this.clear();
                }
            };
        }
        return values;
    }

    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof EnumMap<?, ?> other)) {
            return super.equals(o);
        }
        if (other.type != type) {
            // Maps over different key types share no key: equal only when both are empty.
            return count == 0 && other.count == 0;
        }
        for (int cell = 0; cell < mapped.length; cell++) {
            if (mapped[cell] != other.mapped[cell] || !Objects.equals(slots[cell], other.slots[cell])) {
                return false;
            }
        }
        return true;
    }

    public int hashCode() {
        int h = 0;
        for (int cell = 0; cell < mapped.length; cell++) {
            if (mapped[cell]) {
                h += constants[cell].hashCode() ^ Objects.hashCode(slots[cell]);
            }
        }
        return h;
    }

    @SuppressWarnings("unchecked")
    public EnumMap<K, V> clone() {
        EnumMap<K, V> copy;
        try {
            copy = (EnumMap<K, V>) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        copy.mapped = mapped.clone();
        copy.slots = slots.clone();
        copy.entries = null;
        copy.keySet = null;
        copy.values = null;
        return copy;
    }
}
