// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A hash table with the JDK's observable iteration order.
 *
 * <p>Rules (from the specification and black-box comparison with JDK 17): the table length
 * is a power of two (16 by default, allocated on the first insertion; an initial capacity is
 * rounded up to a power of two); hashes are spread as h ^ (h >>> 16); put appends new
 * entries at the end of their bucket and doubles the table when the size then exceeds
 * capacity * loadFactor; compute, computeIfAbsent and merge double the table before
 * inserting if the size already exceeds that threshold, and insert at the head of the
 * bucket. Doubling splits each bucket into the two new ones keeping relative order.
 *
 * <p>A bucket that would hold more than eight entries through put (eight through the
 * compute methods) becomes a red-black tree when the table has at least 64 buckets (else the
 * table doubles). Tree order is by hash, then compareTo for keys of the same Comparable
 * class, then class name and identity hash. A tree bucket still iterates along a list: a
 * new entry follows its tree parent, and after insertions and removals the tree's root is
 * moved to the front. Trees turn back into lists when a doubling leaves six or fewer
 * entries in a bucket, or when a removal finds the tree very small.
 */
public class HashMap<K, V> extends AbstractMap<K, V> implements Map<K, V>, Cloneable, java.io.Serializable {
    static final int DEFAULT_INITIAL_CAPACITY = 16;
    static final int MAXIMUM_CAPACITY = 1 << 30;
    static final float DEFAULT_LOAD_FACTOR = 0.75f;
    static final int TREEIFY_THRESHOLD = 8;
    static final int UNTREEIFY_THRESHOLD = 6;
    static final int MIN_TREEIFY_CAPACITY = 64;

    /** A list entry. */
    static class Node<K, V> implements Map.Entry<K, V> {
        final int hash;
        final K key;
        V value;
        Node<K, V> next;

        Node(int hash, K key, V value, Node<K, V> next) {
            this.hash = hash;
            this.key = key;
            this.value = value;
            this.next = next;
        }

        public final K getKey() {
            return key;
        }

        public final V getValue() {
            return value;
        }

        public final String toString() {
            return key + "=" + value;
        }

        public final int hashCode() {
            return Objects.hashCode(key) ^ Objects.hashCode(value);
        }

        public final V setValue(V newValue) {
            V oldValue = value;
            value = newValue;
            return oldValue;
        }

        public final boolean equals(Object o) {
            return o == this
                    || (o instanceof Map.Entry<?, ?> e && Objects.equals(key, e.getKey()) && Objects.equals(value, e.getValue()));
        }
    }

    static final int hash(Object key) {
        int h;
        return (key == null) ? 0 : (h = key.hashCode()) ^ (h >>> 16);
    }

    /** The smallest power of two >= cap (at least 1, at most MAXIMUM_CAPACITY). */
    static final int tableSizeFor(int cap) {
        int n = 1;
        while (n < cap && n < MAXIMUM_CAPACITY) {
            n <<= 1;
        }
        return n;
    }

    transient Node<K, V>[] table;
    transient Set<Map.Entry<K, V>> entrySet;
    transient int size;
    transient int modCount;
    /** Resize threshold; before the table exists, its initial length (0 for the default). */
    int threshold;
    final float loadFactor;

    public HashMap(int initialCapacity, float loadFactor) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("Illegal initial capacity: " + initialCapacity);
        }
        if (initialCapacity > MAXIMUM_CAPACITY) {
            initialCapacity = MAXIMUM_CAPACITY;
        }
        if (loadFactor <= 0 || Float.isNaN(loadFactor)) {
            throw new IllegalArgumentException("Illegal load factor: " + loadFactor);
        }
        this.loadFactor = loadFactor;
        this.threshold = tableSizeFor(initialCapacity);
    }

    public HashMap(int initialCapacity) {
        this(initialCapacity, DEFAULT_LOAD_FACTOR);
    }

    public HashMap() {
        this.loadFactor = DEFAULT_LOAD_FACTOR;
    }

    public HashMap(Map<? extends K, ? extends V> m) {
        this.loadFactor = DEFAULT_LOAD_FACTOR;
        putMapEntries(m, false);
    }

    /** Sizes the table for m's entries first, then puts them in m's iteration order. */
    final void putMapEntries(Map<? extends K, ? extends V> m, boolean evict) {
        int s = m.size();
        if (s > 0) {
            if (table == null) {
                float ft = ((float) s / loadFactor) + 1.0F;
                int t = (ft < (float) MAXIMUM_CAPACITY) ? (int) ft : MAXIMUM_CAPACITY;
                if (t > threshold) {
                    threshold = tableSizeFor(t);
                }
            } else {
                while (s > threshold && table.length < MAXIMUM_CAPACITY) {
                    resize();
                }
            }
            for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
                K key = e.getKey();
                V value = e.getValue();
                putVal(hash(key), key, value, false, evict);
            }
        }
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public V get(Object key) {
        Node<K, V> e = getNode(key);
        return e == null ? null : e.value;
    }

    final Node<K, V> getNode(Object key) {
        Node<K, V>[] tab = table;
        if (tab == null) {
            return null;
        }
        int h = hash(key);
        Node<K, V> first = tab[(tab.length - 1) & h];
        if (first instanceof TreeNode) {
            return ((TreeNode<K, V>) first).root().find(h, key);
        }
        for (Node<K, V> e = first; e != null; e = e.next) {
            if (e.hash == h && (e.key == key || (key != null && key.equals(e.key)))) {
                return e;
            }
        }
        return null;
    }

    public boolean containsKey(Object key) {
        return getNode(key) != null;
    }

    public V put(K key, V value) {
        return putVal(hash(key), key, value, false, true);
    }

    final V putVal(int hash, K key, V value, boolean onlyIfAbsent, boolean evict) {
        Node<K, V>[] tab = table;
        if (tab == null || tab.length == 0) {
            tab = resize();
        }
        int i = (tab.length - 1) & hash;
        Node<K, V> p = tab[i];
        Node<K, V> e = null;
        if (p == null) {
            tab[i] = newNode(hash, key, value, null);
        } else if (p instanceof TreeNode) {
            e = ((TreeNode<K, V>) p).putTreeVal(this, tab, hash, key, value);
        } else {
            int count = 0; // entries already in the bucket
            while (true) {
                if (p.hash == hash && (p.key == key || (key != null && key.equals(p.key)))) {
                    e = p;
                    break;
                }
                count++;
                if (p.next == null) {
                    p.next = newNode(hash, key, value, null);
                    if (count >= TREEIFY_THRESHOLD) {
                        treeifyBin(tab, hash);
                    }
                    break;
                }
                p = p.next;
            }
        }
        if (e != null) {
            V oldValue = e.value;
            if (!onlyIfAbsent || oldValue == null) {
                e.value = value;
            }
            afterNodeAccess(e);
            return oldValue;
        }
        ++modCount;
        if (++size > threshold) {
            resize();
        }
        afterNodeInsertion(evict);
        return null;
    }

    /** Allocates the table, or doubles it splitting every bucket in two in order. */
    @SuppressWarnings("unchecked")
    final Node<K, V>[] resize() {
        Node<K, V>[] oldTab = table;
        int oldCap = (oldTab == null) ? 0 : oldTab.length;
        int oldThr = threshold;
        int newCap;
        int newThr = 0;
        if (oldCap > 0) {
            if (oldCap >= MAXIMUM_CAPACITY) {
                threshold = Integer.MAX_VALUE;
                return oldTab;
            }
            newCap = oldCap << 1;
            if (newCap < MAXIMUM_CAPACITY && oldCap >= DEFAULT_INITIAL_CAPACITY) {
                newThr = oldThr << 1;
            }
        } else if (oldThr > 0) {
            newCap = oldThr;
        } else {
            newCap = DEFAULT_INITIAL_CAPACITY;
            newThr = (int) (DEFAULT_LOAD_FACTOR * DEFAULT_INITIAL_CAPACITY);
        }
        if (newThr == 0) {
            float ft = (float) newCap * loadFactor;
            newThr = (newCap < MAXIMUM_CAPACITY && ft < (float) MAXIMUM_CAPACITY) ? (int) ft : Integer.MAX_VALUE;
        }
        threshold = newThr;
        Node<K, V>[] newTab = (Node<K, V>[]) new Node[newCap];
        table = newTab;
        if (oldTab != null) {
            for (int j = 0; j < oldCap; ++j) {
                Node<K, V> e = oldTab[j];
                if (e == null) {
                    continue;
                }
                oldTab[j] = null;
                if (e.next == null) {
                    newTab[e.hash & (newCap - 1)] = e;
                } else if (e instanceof TreeNode) {
                    ((TreeNode<K, V>) e).split(this, newTab, j, oldCap);
                } else {
                    Node<K, V> loHead = null;
                    Node<K, V> loTail = null;
                    Node<K, V> hiHead = null;
                    Node<K, V> hiTail = null;
                    for (Node<K, V> n = e; n != null; ) {
                        Node<K, V> next = n.next;
                        n.next = null;
                        if ((n.hash & oldCap) == 0) {
                            if (loTail == null) {
                                loHead = n;
                            } else {
                                loTail.next = n;
                            }
                            loTail = n;
                        } else {
                            if (hiTail == null) {
                                hiHead = n;
                            } else {
                                hiTail.next = n;
                            }
                            hiTail = n;
                        }
                        n = next;
                    }
                    newTab[j] = loHead;
                    newTab[j + oldCap] = hiHead;
                }
            }
        }
        return newTab;
    }

    /** Turns the bucket of hash into a tree, or doubles a small table instead. */
    final void treeifyBin(Node<K, V>[] tab, int hash) {
        if (tab == null || tab.length < MIN_TREEIFY_CAPACITY) {
            resize();
            return;
        }
        int index = (tab.length - 1) & hash;
        Node<K, V> e = tab[index];
        if (e == null) {
            return;
        }
        TreeNode<K, V> hd = null;
        TreeNode<K, V> tl = null;
        do {
            TreeNode<K, V> p = replacementTreeNode(e, null);
            if (tl == null) {
                hd = p;
            } else {
                p.prev = tl;
                tl.next = p;
            }
            tl = p;
            e = e.next;
        } while (e != null);
        tab[index] = hd;
        hd.treeify(tab);
    }

    public void putAll(Map<? extends K, ? extends V> m) {
        putMapEntries(m, true);
    }

    public V remove(Object key) {
        Node<K, V> e = removeNode(hash(key), key, null, false, true);
        return e == null ? null : e.value;
    }

    /**
     * Removes the entry for key (if matchValue, only when its value equals value). movable:
     * whether a tree may move its root to the front (not during iteration).
     */
    final Node<K, V> removeNode(int hash, Object key, Object value, boolean matchValue, boolean movable) {
        Node<K, V>[] tab = table;
        if (tab == null || tab.length == 0) {
            return null;
        }
        int index = (tab.length - 1) & hash;
        Node<K, V> p = tab[index];
        if (p == null) {
            return null;
        }
        Node<K, V> node = null;
        Node<K, V> before = null; // list predecessor of node
        if (p instanceof TreeNode) {
            node = ((TreeNode<K, V>) p).root().find(hash, key);
        } else {
            for (Node<K, V> e = p; e != null; before = e, e = e.next) {
                if (e.hash == hash && (e.key == key || (key != null && key.equals(e.key)))) {
                    node = e;
                    break;
                }
            }
        }
        if (node == null) {
            return null;
        }
        V v = node.value;
        if (matchValue && !(v == value || (value != null && value.equals(v)))) {
            return null;
        }
        if (node instanceof TreeNode) {
            ((TreeNode<K, V>) node).removeTreeNode(this, tab, movable);
        } else if (before == null) {
            tab[index] = node.next;
        } else {
            before.next = node.next;
        }
        ++modCount;
        --size;
        afterNodeRemoval(node);
        return node;
    }

    public void clear() {
        Node<K, V>[] tab = table;
        modCount++;
        if (tab != null && size > 0) {
            size = 0;
            for (int i = 0; i < tab.length; ++i) {
                tab[i] = null;
            }
        }
    }

    public boolean containsValue(Object value) {
        Node<K, V>[] tab = table;
        if (tab != null && size > 0) {
            for (Node<K, V> e : tab) {
                for (; e != null; e = e.next) {
                    if (e.value == value || (value != null && value.equals(e.value))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public Set<K> keySet() {
        Set<K> ks = keySet;
        if (ks == null) {
            ks = new KeySet();
            keySet = ks;
        }
        return ks;
    }

    final class KeySet extends AbstractSet<K> {
        public final int size() {
            return size;
        }

        public final void clear() {
            HashMap.this.clear();
        }

        public final Iterator<K> iterator() {
            return new KeyIterator();
        }

        public final boolean contains(Object o) {
            return containsKey(o);
        }

        public final boolean remove(Object key) {
            return removeNode(hash(key), key, null, false, true) != null;
        }

        public final void forEach(Consumer<? super K> action) {
            Objects.requireNonNull(action);
            int mc = modCount;
            Node<K, V>[] tab = table;
            if (size > 0 && tab != null) {
                for (Node<K, V> e : tab) {
                    for (; e != null; e = e.next) {
                        action.accept(e.key);
                    }
                }
            }
            if (modCount != mc) {
                throw new ConcurrentModificationException();
            }
        }
    }

    public Collection<V> values() {
        Collection<V> vs = values;
        if (vs == null) {
            vs = new Values();
            values = vs;
        }
        return vs;
    }

    final class Values extends AbstractCollection<V> {
        public final int size() {
            return size;
        }

        public final void clear() {
            HashMap.this.clear();
        }

        public final Iterator<V> iterator() {
            return new ValueIterator();
        }

        public final boolean contains(Object o) {
            return containsValue(o);
        }

        public final void forEach(Consumer<? super V> action) {
            Objects.requireNonNull(action);
            int mc = modCount;
            Node<K, V>[] tab = table;
            if (size > 0 && tab != null) {
                for (Node<K, V> e : tab) {
                    for (; e != null; e = e.next) {
                        action.accept(e.value);
                    }
                }
            }
            if (modCount != mc) {
                throw new ConcurrentModificationException();
            }
        }
    }

    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> es = entrySet;
        if (es == null) {
            es = new EntrySet();
            entrySet = es;
        }
        return es;
    }

    final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        public final int size() {
            return size;
        }

        public final void clear() {
            HashMap.this.clear();
        }

        public final Iterator<Map.Entry<K, V>> iterator() {
            return new EntryIterator();
        }

        public final boolean contains(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e)) {
                return false;
            }
            Object key = e.getKey();
            Node<K, V> candidate = getNode(key);
            return candidate != null && candidate.equals(e);
        }

        public final boolean remove(Object o) {
            if (o instanceof Map.Entry<?, ?> e) {
                Object key = e.getKey();
                Object value = e.getValue();
                return removeNode(hash(key), key, value, true, true) != null;
            }
            return false;
        }

        public final void forEach(Consumer<? super Map.Entry<K, V>> action) {
            Objects.requireNonNull(action);
            int mc = modCount;
            Node<K, V>[] tab = table;
            if (size > 0 && tab != null) {
                for (Node<K, V> e : tab) {
                    for (; e != null; e = e.next) {
                        action.accept(e);
                    }
                }
            }
            if (modCount != mc) {
                throw new ConcurrentModificationException();
            }
        }
    }

    // ---- overrides of the Map defaults with the JDK's insertion rules

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        Node<K, V> e = getNode(key);
        return e == null ? defaultValue : e.value;
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return putVal(hash(key), key, value, true, true);
    }

    @Override
    public boolean remove(Object key, Object value) {
        return removeNode(hash(key), key, value, true, true) != null;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Node<K, V> e = getNode(key);
        if (e != null && Objects.equals(e.value, oldValue)) {
            e.value = newValue;
            afterNodeAccess(e);
            return true;
        }
        return false;
    }

    @Override
    public V replace(K key, V value) {
        Node<K, V> e = getNode(key);
        if (e != null) {
            V oldValue = e.value;
            e.value = value;
            afterNodeAccess(e);
            return oldValue;
        }
        return null;
    }

    /** The existing node for key, after growing the table if the size exceeds the threshold. */
    private Node<K, V> prepareCompute(int hash, Object key) {
        if (size > threshold || table == null || table.length == 0) {
            resize();
        }
        Node<K, V> first = table[(table.length - 1) & hash];
        if (first instanceof TreeNode) {
            return ((TreeNode<K, V>) first).root().find(hash, key);
        }
        for (Node<K, V> e = first; e != null; e = e.next) {
            if (e.hash == hash && (e.key == key || (key != null && key.equals(e.key)))) {
                return e;
            }
        }
        return null;
    }

    /** Inserts a new entry for the compute methods: at the head of a list bucket. */
    private void computeInsert(int hash, K key, V value) {
        Node<K, V>[] tab = table;
        int i = (tab.length - 1) & hash;
        Node<K, V> first = tab[i];
        if (first instanceof TreeNode) {
            ((TreeNode<K, V>) first).putTreeVal(this, tab, hash, key, value);
        } else {
            int count = 0;
            for (Node<K, V> e = first; e != null; e = e.next) {
                count++;
            }
            tab[i] = newNode(hash, key, value, first);
            if (count >= TREEIFY_THRESHOLD - 1) {
                treeifyBin(tab, hash);
            }
        }
        modCount++;
        size++;
        afterNodeInsertion(true);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        if (mappingFunction == null) {
            throw new NullPointerException();
        }
        int hash = hash(key);
        Node<K, V> old = prepareCompute(hash, key);
        if (old != null && old.value != null) {
            afterNodeAccess(old);
            return old.value;
        }
        int mc = modCount;
        V v = mappingFunction.apply(key);
        if (mc != modCount) {
            throw new ConcurrentModificationException();
        }
        if (v == null) {
            return null;
        } else if (old != null) {
            old.value = v;
            afterNodeAccess(old);
            return v;
        }
        computeInsert(hash, key, v);
        return v;
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        if (remappingFunction == null) {
            throw new NullPointerException();
        }
        int hash = hash(key);
        Node<K, V> e = getNode(key);
        if (e != null && e.value != null) {
            int mc = modCount;
            V v = remappingFunction.apply(key, e.value);
            if (mc != modCount) {
                throw new ConcurrentModificationException();
            }
            if (v == null) {
                removeNode(hash, key, null, false, true);
            } else {
                e.value = v;
                afterNodeAccess(e);
                return v;
            }
        }
        return null;
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        if (remappingFunction == null) {
            throw new NullPointerException();
        }
        int hash = hash(key);
        Node<K, V> old = prepareCompute(hash, key);
        V oldValue = (old == null) ? null : old.value;
        int mc = modCount;
        V v = remappingFunction.apply(key, oldValue);
        if (mc != modCount) {
            throw new ConcurrentModificationException();
        }
        if (old != null) {
            if (v != null) {
                old.value = v;
                afterNodeAccess(old);
            } else {
                removeNode(hash, key, null, false, true);
            }
        } else if (v != null) {
            computeInsert(hash, key, v);
        }
        return v;
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        if (value == null || remappingFunction == null) {
            throw new NullPointerException();
        }
        int hash = hash(key);
        Node<K, V> old = prepareCompute(hash, key);
        if (old != null) {
            V v;
            if (old.value != null) {
                int mc = modCount;
                v = remappingFunction.apply(old.value, value);
                if (mc != modCount) {
                    throw new ConcurrentModificationException();
                }
            } else {
                v = value;
            }
            if (v != null) {
                old.value = v;
                afterNodeAccess(old);
            } else {
                removeNode(hash, key, null, false, true);
            }
            return v;
        }
        computeInsert(hash, key, value);
        return value;
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        if (action == null) {
            throw new NullPointerException();
        }
        Node<K, V>[] tab = table;
        if (size > 0 && tab != null) {
            int mc = modCount;
            for (Node<K, V> e : tab) {
                for (; e != null; e = e.next) {
                    action.accept(e.key, e.value);
                }
            }
            if (modCount != mc) {
                throw new ConcurrentModificationException();
            }
        }
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        if (function == null) {
            throw new NullPointerException();
        }
        Node<K, V>[] tab = table;
        if (size > 0 && tab != null) {
            int mc = modCount;
            for (Node<K, V> e : tab) {
                for (; e != null; e = e.next) {
                    e.value = function.apply(e.key, e.value);
                }
            }
            if (modCount != mc) {
                throw new ConcurrentModificationException();
            }
        }
    }

    /** A copy with the same load factor: entries re-put in this map's order. */
    @SuppressWarnings("unchecked")
    @Override
    public Object clone() {
        HashMap<K, V> result;
        try {
            result = (HashMap<K, V>) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new InternalError(e);
        }
        result.reinitialize();
        result.putMapEntries(this, false);
        return result;
    }

    // ---- iterators

    abstract class HashIterator {
        Node<K, V> next;
        Node<K, V> current;
        int expectedModCount;
        int index;

        HashIterator() {
            expectedModCount = modCount;
            Node<K, V>[] t = table;
            current = next = null;
            index = 0;
            if (t != null && size > 0) {
                advanceFrom(t, null);
            }
        }

        /** Sets next to the entry after e (or the first entry if e is null). */
        private void advanceFrom(Node<K, V>[] t, Node<K, V> e) {
            Node<K, V> n = (e == null) ? null : e.next;
            while (n == null && index < t.length) {
                n = t[index++];
            }
            next = n;
        }

        public final boolean hasNext() {
            return next != null;
        }

        final Node<K, V> nextNode() {
            Node<K, V> e = next;
            if (modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            if (e == null) {
                throw new NoSuchElementException();
            }
            current = e;
            Node<K, V>[] t = table;
            if (t != null) {
                advanceFrom(t, e);
            } else {
                next = null;
            }
            return e;
        }

        public final void remove() {
            Node<K, V> p = current;
            if (p == null) {
                throw new IllegalStateException();
            }
            if (modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            current = null;
            removeNode(p.hash, p.key, null, false, false);
            expectedModCount = modCount;
        }
    }

    final class KeyIterator extends HashIterator implements Iterator<K> {
        public final K next() {
            return nextNode().key;
        }
    }

    final class ValueIterator extends HashIterator implements Iterator<V> {
        public final V next() {
            return nextNode().value;
        }
    }

    final class EntryIterator extends HashIterator implements Iterator<Map.Entry<K, V>> {
        public final Map.Entry<K, V> next() {
            return nextNode();
        }
    }

    // ---- hooks for LinkedHashMap

    Node<K, V> newNode(int hash, K key, V value, Node<K, V> next) {
        return new Node<>(hash, key, value, next);
    }

    Node<K, V> replacementNode(Node<K, V> p, Node<K, V> next) {
        return new Node<>(p.hash, p.key, p.value, next);
    }

    TreeNode<K, V> newTreeNode(int hash, K key, V value, Node<K, V> next) {
        return new TreeNode<>(hash, key, value, next);
    }

    TreeNode<K, V> replacementTreeNode(Node<K, V> p, Node<K, V> next) {
        return new TreeNode<>(p.hash, p.key, p.value, next);
    }

    void reinitialize() {
        table = null;
        entrySet = null;
        keySet = null;
        values = null;
        modCount = 0;
        threshold = 0;
        size = 0;
    }

    void afterNodeAccess(Node<K, V> p) {
    }

    void afterNodeInsertion(boolean evict) {
    }

    void afterNodeRemoval(Node<K, V> p) {
    }

    final float loadFactor() {
        return loadFactor;
    }

    final int capacity() {
        return (table != null) ? table.length : (threshold > 0) ? threshold : DEFAULT_INITIAL_CAPACITY;
    }

    // ---- tree bins

    /**
     * The class of x if it is "class C implements Comparable<C>" as far as this library can
     * tell (it has no generic reflection): x's class if x is Comparable, else null.
     */
    static Class<?> comparableClassFor(Object x) {
        return (x instanceof Comparable) ? x.getClass() : null;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static int compareComparables(Class<?> kc, Object k, Object x) {
        return (x == null || x.getClass() != kc) ? 0 : ((Comparable) k).compareTo(x);
    }

    /** Orders keys that hash and compare equal: class name, then identity hash. */
    static int tieBreakOrder(Object a, Object b) {
        int d;
        if (a == null || b == null || (d = a.getClass().getName().compareTo(b.getClass().getName())) == 0) {
            d = (System.identityHashCode(a) <= System.identityHashCode(b)) ? -1 : 1;
        }
        return d;
    }

    /**
     * A red-black tree entry (classic CLR balancing). prev/next keep the bucket's iteration
     * list; parent/left/right the tree.
     */
    static final class TreeNode<K, V> extends LinkedHashMap.Entry<K, V> {
        TreeNode<K, V> parent;
        TreeNode<K, V> left;
        TreeNode<K, V> right;
        TreeNode<K, V> prev;
        boolean red;

        TreeNode(int hash, K key, V val, Node<K, V> next) {
            super(hash, key, val, next);
        }

        final TreeNode<K, V> root() {
            TreeNode<K, V> r = this;
            while (r.parent != null) {
                r = r.parent;
            }
            return r;
        }

        /** Makes root the first entry of its bucket's list. */
        static <K, V> void moveRootToFront(Node<K, V>[] tab, TreeNode<K, V> root) {
            if (root == null || tab == null || tab.length == 0) {
                return;
            }
            int index = (tab.length - 1) & root.hash;
            TreeNode<K, V> first = (TreeNode<K, V>) tab[index];
            if (root == first) {
                return;
            }
            // unlink root from the list, then put it before first
            Node<K, V> rn = root.next;
            TreeNode<K, V> rp = root.prev;
            if (rn != null) {
                ((TreeNode<K, V>) rn).prev = rp;
            }
            if (rp != null) {
                rp.next = rn;
            }
            if (first != null) {
                first.prev = root;
            }
            root.next = first;
            root.prev = null;
            tab[index] = root;
        }

        /** The node with key k (hash h) in this subtree, or null; searches both sides when needed. */
        final TreeNode<K, V> find(int h, Object k) {
            Class<?> kc = null;
            TreeNode<K, V> p = this;
            while (p != null) {
                int ph = p.hash;
                if (ph > h) {
                    p = p.left;
                } else if (ph < h) {
                    p = p.right;
                } else {
                    Object pk = p.key;
                    if (pk == k || (k != null && k.equals(pk))) {
                        return p;
                    }
                    if (p.left == null) {
                        p = p.right;
                    } else if (p.right == null) {
                        p = p.left;
                    } else {
                        int dir;
                        if ((kc != null || (kc = comparableClassFor(k)) != null)
                                && (dir = compareComparables(kc, k, pk)) != 0) {
                            p = (dir < 0) ? p.left : p.right;
                        } else {
                            TreeNode<K, V> q = p.right.find(h, k);
                            if (q != null) {
                                return q;
                            }
                            p = p.left;
                        }
                    }
                }
            }
            return null;
        }

        /** Direction of key k (hash h, comparable class kc or null) relative to node p. */
        private static int direction(int h, Object k, Class<?> kc, TreeNode<?, ?> p) {
            if (p.hash > h) {
                return -1;
            }
            if (p.hash < h) {
                return 1;
            }
            int dir;
            if (kc == null || (dir = compareComparables(kc, k, p.key)) == 0) {
                dir = tieBreakOrder(k, p.key);
            }
            return dir;
        }

        /** Builds the tree from the list starting at this node, in list order. */
        final void treeify(Node<K, V>[] tab) {
            TreeNode<K, V> root = null;
            for (TreeNode<K, V> x = this, next; x != null; x = next) {
                next = (TreeNode<K, V>) x.next;
                x.left = x.right = null;
                if (root == null) {
                    x.parent = null;
                    x.red = false;
                    root = x;
                    continue;
                }
                Class<?> kc = comparableClassFor(x.key);
                TreeNode<K, V> p = root;
                while (true) {
                    int dir = direction(x.hash, x.key, kc, p);
                    TreeNode<K, V> child = (dir <= 0) ? p.left : p.right;
                    if (child == null) {
                        x.parent = p;
                        if (dir <= 0) {
                            p.left = x;
                        } else {
                            p.right = x;
                        }
                        root = balanceInsertion(root, x);
                        break;
                    }
                    p = child;
                }
            }
            moveRootToFront(tab, root);
        }

        /** The list from this node as plain entries. */
        final Node<K, V> untreeify(HashMap<K, V> map) {
            Node<K, V> hd = null;
            Node<K, V> tl = null;
            for (Node<K, V> q = this; q != null; q = q.next) {
                Node<K, V> p = map.replacementNode(q, null);
                if (tl == null) {
                    hd = p;
                } else {
                    tl.next = p;
                }
                tl = p;
            }
            return hd;
        }

        /** put into a tree bucket: the existing node, or null after inserting a new one. */
        final TreeNode<K, V> putTreeVal(HashMap<K, V> map, Node<K, V>[] tab, int h, K k, V v) {
            Class<?> kc = comparableClassFor(k);
            boolean searched = false;
            TreeNode<K, V> root = (parent != null) ? root() : this;
            TreeNode<K, V> p = root;
            while (true) {
                int dir;
                int ph = p.hash;
                Object pk;
                if (ph > h) {
                    dir = -1;
                } else if (ph < h) {
                    dir = 1;
                } else if ((pk = p.key) == k || (k != null && k.equals(pk))) {
                    return p;
                } else if (kc == null || (dir = compareComparables(kc, k, pk)) == 0) {
                    if (!searched) {
                        searched = true;
                        TreeNode<K, V> q;
                        if ((p.left != null && (q = p.left.find(h, k)) != null)
                                || (p.right != null && (q = p.right.find(h, k)) != null)) {
                            return q;
                        }
                    }
                    dir = tieBreakOrder(k, pk);
                }
                TreeNode<K, V> child = (dir <= 0) ? p.left : p.right;
                if (child == null) {
                    // the new node follows its tree parent in the bucket's list
                    Node<K, V> pn = p.next;
                    TreeNode<K, V> x = map.newTreeNode(h, k, v, pn);
                    if (dir <= 0) {
                        p.left = x;
                    } else {
                        p.right = x;
                    }
                    p.next = x;
                    x.parent = x.prev = p;
                    if (pn != null) {
                        ((TreeNode<K, V>) pn).prev = x;
                    }
                    moveRootToFront(tab, balanceInsertion(root, x));
                    return null;
                }
                p = child;
            }
        }

        /** Removes this node (which must be in the tree of its bucket). */
        final void removeTreeNode(HashMap<K, V> map, Node<K, V>[] tab, boolean movable) {
            if (tab == null || tab.length == 0) {
                return;
            }
            int index = (tab.length - 1) & hash;
            TreeNode<K, V> first = (TreeNode<K, V>) tab[index];
            TreeNode<K, V> root = first;
            // unlink from the list
            TreeNode<K, V> succ = (TreeNode<K, V>) next;
            TreeNode<K, V> pred = prev;
            if (pred == null) {
                tab[index] = first = succ;
            } else {
                pred.next = succ;
            }
            if (succ != null) {
                succ.prev = pred;
            }
            if (first == null) {
                return;
            }
            if (root.parent != null) {
                root = root.root();
            }
            // a very small tree becomes a list again
            if (root == null || (movable && (root.right == null || root.left == null || root.left.left == null))) {
                tab[index] = first.untreeify(map);
                return;
            }
            // unlink from the tree: a node with two children first trades places with its successor
            TreeNode<K, V> p = this;
            if (p.left != null && p.right != null) {
                TreeNode<K, V> s = p.right;
                while (s.left != null) {
                    s = s.left;
                }
                swapPositions(p, s);
                if (root == p) {
                    root = s;
                }
            }
            TreeNode<K, V> replacement = (p.left != null) ? p.left : p.right;
            if (replacement != null) {
                TreeNode<K, V> pp = p.parent;
                replacement.parent = pp;
                if (pp == null) {
                    root = replacement;
                } else if (p == pp.left) {
                    pp.left = replacement;
                } else {
                    pp.right = replacement;
                }
                p.left = p.right = p.parent = null;
                if (!p.red) {
                    root = balanceDeletion(root, replacement);
                }
            } else if (p.parent == null) {
                root = null;
            } else {
                // a leaf: rebalance with the leaf still in place, then detach it
                if (!p.red) {
                    root = balanceDeletion(root, p);
                }
                TreeNode<K, V> pp = p.parent;
                if (pp != null) {
                    if (p == pp.left) {
                        pp.left = null;
                    } else if (p == pp.right) {
                        pp.right = null;
                    }
                    p.parent = null;
                }
            }
            if (movable) {
                moveRootToFront(tab, root);
            }
        }

        /** Exchanges the tree positions and colours of p and its in-order successor s. */
        private static <K, V> void swapPositions(TreeNode<K, V> p, TreeNode<K, V> s) {
            boolean c = s.red;
            s.red = p.red;
            p.red = c;
            TreeNode<K, V> sr = s.right;
            TreeNode<K, V> pl = p.left;
            TreeNode<K, V> pp = p.parent;
            if (s == p.right) {
                // s is p's right child
                p.parent = s;
                s.right = p;
            } else {
                TreeNode<K, V> sp = s.parent;
                p.parent = sp;
                if (s == sp.left) {
                    sp.left = p;
                } else {
                    sp.right = p;
                }
                s.right = p.right;
                if (s.right != null) {
                    s.right.parent = s;
                }
            }
            p.left = null;
            p.right = sr;
            if (sr != null) {
                sr.parent = p;
            }
            s.left = pl;
            if (pl != null) {
                pl.parent = s;
            }
            s.parent = pp;
            if (pp != null) {
                if (p == pp.left) {
                    pp.left = s;
                } else {
                    pp.right = s;
                }
            }
        }

        /** Splits a tree bucket of a doubling table into its low and high halves, in order. */
        final void split(HashMap<K, V> map, Node<K, V>[] tab, int index, int bit) {
            TreeNode<K, V> loHead = null;
            TreeNode<K, V> loTail = null;
            TreeNode<K, V> hiHead = null;
            TreeNode<K, V> hiTail = null;
            int lc = 0;
            int hc = 0;
            for (TreeNode<K, V> e = this, next; e != null; e = next) {
                next = (TreeNode<K, V>) e.next;
                e.next = null;
                if ((e.hash & bit) == 0) {
                    e.prev = loTail;
                    if (loTail == null) {
                        loHead = e;
                    } else {
                        loTail.next = e;
                    }
                    loTail = e;
                    ++lc;
                } else {
                    e.prev = hiTail;
                    if (hiTail == null) {
                        hiHead = e;
                    } else {
                        hiTail.next = e;
                    }
                    hiTail = e;
                    ++hc;
                }
            }
            if (loHead != null) {
                if (lc <= UNTREEIFY_THRESHOLD) {
                    tab[index] = loHead.untreeify(map);
                } else {
                    tab[index] = loHead;
                    if (hiHead != null) {
                        loHead.treeify(tab);
                    }
                }
            }
            if (hiHead != null) {
                if (hc <= UNTREEIFY_THRESHOLD) {
                    tab[index + bit] = hiHead.untreeify(map);
                } else {
                    tab[index + bit] = hiHead;
                    if (loHead != null) {
                        hiHead.treeify(tab);
                    }
                }
            }
        }

        // ---- CLR red-black balancing

        // The fix-ups below are written once for both mirror images: `left`
        // names the side the walk came from, and `!left` the sibling side.

        static <K, V> TreeNode<K, V> child(TreeNode<K, V> p, boolean left) {
            return left ? p.left : p.right;
        }

        static <K, V> void setChild(TreeNode<K, V> p, boolean left, TreeNode<K, V> c) {
            if (left) {
                p.left = c;
            } else {
                p.right = c;
            }
        }

        /**
         * Rotates at p towards side {@code left}: p's child on the other side takes p's
         * place and p becomes that child's {@code left}-side child. Returns the root.
         */
        static <K, V> TreeNode<K, V> rotate(TreeNode<K, V> root, TreeNode<K, V> p, boolean left) {
            TreeNode<K, V> up = (p == null) ? null : child(p, !left);
            if (up == null) {
                return root;
            }
            TreeNode<K, V> inner = child(up, left);
            setChild(p, !left, inner);
            if (inner != null) {
                inner.parent = p;
            }
            up.parent = p.parent;
            if (p.parent == null) {
                root = up;
                up.red = false;
            } else {
                setChild(p.parent, p.parent.left == p, up);
            }
            setChild(up, left, p);
            p.parent = up;
            return root;
        }

        static boolean isBlack(TreeNode<?, ?> n) {
            return n == null || !n.red;
        }

        /** CLR insert fix-up for the new red node x. Returns the root. */
        static <K, V> TreeNode<K, V> balanceInsertion(TreeNode<K, V> root, TreeNode<K, V> x) {
            x.red = true;
            while (true) {
                TreeNode<K, V> parent = x.parent;
                if (parent == null) {
                    x.red = false;
                    return x;
                }
                TreeNode<K, V> grand = parent.parent;
                if (!parent.red || grand == null) {
                    return root;
                }
                boolean left = parent == grand.left;
                TreeNode<K, V> uncle = child(grand, !left);
                if (!isBlack(uncle)) {
                    uncle.red = false;
                    parent.red = false;
                    grand.red = true;
                    x = grand;
                    continue;
                }
                if (x == child(parent, !left)) {
                    // the inner case: first turn it into the outer one
                    x = parent;
                    root = rotate(root, x, left);
                    parent = x.parent;
                    grand = (parent == null) ? null : parent.parent;
                }
                if (parent != null) {
                    parent.red = false;
                    if (grand != null) {
                        grand.red = true;
                        root = rotate(root, grand, !left);
                    }
                }
            }
        }

        /** CLR delete fix-up starting at x (a node that carries an extra black). Returns the root. */
        static <K, V> TreeNode<K, V> balanceDeletion(TreeNode<K, V> root, TreeNode<K, V> x) {
            while (true) {
                if (x == null || x == root) {
                    return root;
                }
                TreeNode<K, V> parent = x.parent;
                if (parent == null) {
                    x.red = false;
                    return x;
                }
                if (x.red) {
                    x.red = false;
                    return root;
                }
                boolean left = parent.left == x;
                TreeNode<K, V> sibling = child(parent, !left);
                if (!isBlack(sibling)) {
                    sibling.red = false;
                    parent.red = true;
                    root = rotate(root, parent, left);
                    parent = x.parent;
                    sibling = (parent == null) ? null : child(parent, !left);
                }
                if (sibling == null) {
                    x = parent;
                    continue;
                }
                TreeNode<K, V> near = child(sibling, left);
                TreeNode<K, V> far = child(sibling, !left);
                if (isBlack(near) && isBlack(far)) {
                    sibling.red = true;
                    x = parent;
                    continue;
                }
                if (isBlack(far)) {
                    if (near != null) {
                        near.red = false;
                    }
                    sibling.red = true;
                    root = rotate(root, sibling, !left);
                    parent = x.parent;
                    sibling = (parent == null) ? null : child(parent, !left);
                }
                if (sibling != null) {
                    sibling.red = parent != null && parent.red;
                    TreeNode<K, V> outer = child(sibling, !left);
                    if (outer != null) {
                        outer.red = false;
                    }
                }
                if (parent != null) {
                    parent.red = false;
                    root = rotate(root, parent, left);
                }
                x = root;
            }
        }
    }
}
