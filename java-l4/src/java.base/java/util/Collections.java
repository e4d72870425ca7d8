// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The Collections algorithms (shuffle with the documented swap loop, binary search by
 * halving, stable sort through List.sort) and wrappers. The unmodifiable, synchronized and
 * checked wrappers share one family of forwarding classes with a mode (this VM runs one
 * thread, so "synchronized" wrappers only forward).
 */
public class Collections {
    private Collections() {
    }

    // ---- algorithms

    public static <T extends Comparable<? super T>> void sort(List<T> list) {
        list.sort(null);
    }

    public static <T> void sort(List<T> list, Comparator<? super T> c) {
        list.sort(c);
    }

    @SuppressWarnings("unchecked")
    public static <T> int binarySearch(List<? extends Comparable<? super T>> list, T key) {
        return binarySearch((List<T>) list, key, (Comparator<? super T>) null);
    }

    /** Halving search by index (a ListIterator walks to each probe of a sequential list). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> int binarySearch(List<? extends T> list, T key, Comparator<? super T> c) {
        int low = 0;
        int high = list.size() - 1;
        boolean indexed = list instanceof RandomAccess || list.size() < 5000;
        ListIterator<? extends T> it = indexed ? null : list.listIterator();
        while (low <= high) {
            int mid = (low + high) >>> 1;
            T midVal = indexed ? list.get(mid) : moveTo(it, mid);
            int cmp = (c == null) ? ((Comparable) midVal).compareTo(key) : c.compare(midVal, key);
            if (cmp < 0) {
                low = mid + 1;
            } else if (cmp > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private static <T> T moveTo(ListIterator<? extends T> i, int index) {
        T obj;
        int pos = i.nextIndex();
        if (pos <= index) {
            do {
                obj = i.next();
            } while (pos++ < index);
        } else {
            do {
                obj = i.previous();
            } while (--pos > index);
        }
        return obj;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static void reverse(List<?> list) {
        int size = list.size();
        if (list instanceof RandomAccess || size < 18) {
            for (int i = 0, mid = size >> 1, j = size - 1; i < mid; i++, j--) {
                swap(list, i, j);
            }
        } else {
            ListIterator fwd = list.listIterator();
            ListIterator rev = list.listIterator(size);
            for (int i = 0, mid = size >> 1; i < mid; i++) {
                Object tmp = fwd.next();
                fwd.set(rev.previous());
                rev.set(tmp);
            }
        }
    }

    private static Random shuffleRandom;

    public static void shuffle(List<?> list) {
        Random rnd = shuffleRandom;
        if (rnd == null) {
            shuffleRandom = rnd = new Random();
        }
        shuffle(list, rnd);
    }

    /** As documented: for i from size down to 2, swap element i-1 with a random one below i. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static void shuffle(List<?> list, Random rnd) {
        int size = list.size();
        if (size < 5 || list instanceof RandomAccess) {
            for (int i = size; i > 1; i--) {
                swap(list, i - 1, rnd.nextInt(i));
            }
        } else {
            Object[] arr = list.toArray();
            for (int i = size; i > 1; i--) {
                int j = rnd.nextInt(i);
                Object tmp = arr[i - 1];
                arr[i - 1] = arr[j];
                arr[j] = tmp;
            }
            ListIterator it = list.listIterator();
            for (Object e : arr) {
                it.next();
                it.set(e);
            }
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static void swap(List<?> list, int i, int j) {
        swapTyped(list, i, j);
    }

    /** Element i goes to j first (its old value comes back), then that value goes to i. */
    private static <T> void swapTyped(List<T> list, int i, int j) {
        T atI = list.get(i);
        T atJ = list.set(j, atI);
        list.set(i, atJ);
    }

    public static <T> void fill(List<? super T> list, T obj) {
        ListIterator<? super T> it = list.listIterator();
        while (it.hasNext()) {
            it.next();
            it.set(obj);
        }
    }

    public static <T> void copy(List<? super T> dest, List<? extends T> src) {
        int srcSize = src.size();
        if (srcSize > dest.size()) {
            throw new IndexOutOfBoundsException("Source does not fit in dest");
        }
        ListIterator<? super T> di = dest.listIterator();
        for (T e : src) {
            di.next();
            di.set(e);
        }
    }

    public static <T extends Object & Comparable<? super T>> T min(Collection<? extends T> coll) {
        Iterator<? extends T> i = coll.iterator();
        T candidate = i.next();
        while (i.hasNext()) {
            T next = i.next();
            if (next.compareTo(candidate) < 0) {
                candidate = next;
            }
        }
        return candidate;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> T min(Collection<? extends T> coll, Comparator<? super T> comp) {
        if (comp == null) {
            return (T) min((Collection) coll);
        }
        Iterator<? extends T> i = coll.iterator();
        T candidate = i.next();
        while (i.hasNext()) {
            T next = i.next();
            if (comp.compare(next, candidate) < 0) {
                candidate = next;
            }
        }
        return candidate;
    }

    public static <T extends Object & Comparable<? super T>> T max(Collection<? extends T> coll) {
        Iterator<? extends T> i = coll.iterator();
        T candidate = i.next();
        while (i.hasNext()) {
            T next = i.next();
            if (next.compareTo(candidate) > 0) {
                candidate = next;
            }
        }
        return candidate;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> T max(Collection<? extends T> coll, Comparator<? super T> comp) {
        if (comp == null) {
            return (T) max((Collection) coll);
        }
        Iterator<? extends T> i = coll.iterator();
        T candidate = i.next();
        while (i.hasNext()) {
            T next = i.next();
            if (comp.compare(next, candidate) > 0) {
                candidate = next;
            }
        }
        return candidate;
    }

    /** Element i moves to (i + distance) mod size (written back from a copy). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void rotate(List<?> list, int distance) {
        int size = list.size();
        if (size == 0) {
            return;
        }
        distance = distance % size;
        if (distance < 0) {
            distance += size;
        }
        if (distance == 0) {
            return;
        }
        Object[] a = list.toArray();
        ListIterator it = list.listIterator();
        for (int i = 0; i < size; i++) {
            it.next();
            it.set(a[(i - distance + size) % size]);
        }
    }

    public static <T> boolean replaceAll(List<T> list, T oldVal, T newVal) {
        boolean result = false;
        ListIterator<T> it = list.listIterator();
        while (it.hasNext()) {
            if (Objects.equals(oldVal, it.next())) {
                it.set(newVal);
                result = true;
            }
        }
        return result;
    }

    public static int indexOfSubList(List<?> source, List<?> target) {
        int sourceSize = source.size();
        int targetSize = target.size();
        outer:
        for (int i = 0; i <= sourceSize - targetSize; i++) {
            for (int j = 0; j < targetSize; j++) {
                if (!Objects.equals(target.get(j), source.get(i + j))) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static int lastIndexOfSubList(List<?> source, List<?> target) {
        int sourceSize = source.size();
        int targetSize = target.size();
        outer:
        for (int i = sourceSize - targetSize; i >= 0; i--) {
            for (int j = 0; j < targetSize; j++) {
                if (!Objects.equals(target.get(j), source.get(i + j))) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- wrappers

    static final int READ_ONLY = 0;
    static final int PASS = 1;
    static final int CHECKED = 2;

    @SuppressWarnings("unchecked")
    public static <T> Collection<T> unmodifiableCollection(Collection<? extends T> c) {
        if (c.getClass() == WrapCollection.class && ((WrapCollection<?>) c).mode == READ_ONLY) {
            return (Collection<T>) c;
        }
        return new WrapCollection<>((Collection<T>) c, READ_ONLY, null);
    }

    @SuppressWarnings("unchecked")
    public static <T> Set<T> unmodifiableSet(Set<? extends T> s) {
        return new WrapSet<>((Set<T>) s, READ_ONLY, null);
    }

    public static <T> SortedSet<T> unmodifiableSortedSet(SortedSet<T> s) {
        return new WrapNavigableSet<>(s, READ_ONLY, null);
    }

    public static <T> NavigableSet<T> unmodifiableNavigableSet(NavigableSet<T> s) {
        return new WrapNavigableSet<>(s, READ_ONLY, null);
    }

    @SuppressWarnings("unchecked")
    public static <T> List<T> unmodifiableList(List<? extends T> list) {
        return wrapList((List<T>) list, READ_ONLY, null);
    }

    @SuppressWarnings("unchecked")
    public static <K, V> Map<K, V> unmodifiableMap(Map<? extends K, ? extends V> m) {
        return new WrapMap<>((Map<K, V>) m, READ_ONLY, null, null);
    }

    @SuppressWarnings("unchecked")
    public static <K, V> SortedMap<K, V> unmodifiableSortedMap(SortedMap<K, ? extends V> m) {
        return new WrapNavigableMap<>((SortedMap<K, V>) m, READ_ONLY, null, null);
    }

    @SuppressWarnings("unchecked")
    public static <K, V> NavigableMap<K, V> unmodifiableNavigableMap(NavigableMap<K, ? extends V> m) {
        return new WrapNavigableMap<>((NavigableMap<K, V>) m, READ_ONLY, null, null);
    }

    public static <T> Collection<T> synchronizedCollection(Collection<T> c) {
        return new WrapCollection<>(Objects.requireNonNull(c), PASS, null);
    }

    public static <T> Set<T> synchronizedSet(Set<T> s) {
        return new WrapSet<>(Objects.requireNonNull(s), PASS, null);
    }

    public static <T> SortedSet<T> synchronizedSortedSet(SortedSet<T> s) {
        return new WrapNavigableSet<>(Objects.requireNonNull(s), PASS, null);
    }

    public static <T> NavigableSet<T> synchronizedNavigableSet(NavigableSet<T> s) {
        return new WrapNavigableSet<>(Objects.requireNonNull(s), PASS, null);
    }

    public static <T> List<T> synchronizedList(List<T> list) {
        return wrapList(Objects.requireNonNull(list), PASS, null);
    }

    public static <K, V> Map<K, V> synchronizedMap(Map<K, V> m) {
        return new WrapMap<>(Objects.requireNonNull(m), PASS, null, null);
    }

    public static <K, V> SortedMap<K, V> synchronizedSortedMap(SortedMap<K, V> m) {
        return new WrapNavigableMap<>(Objects.requireNonNull(m), PASS, null, null);
    }

    public static <K, V> NavigableMap<K, V> synchronizedNavigableMap(NavigableMap<K, V> m) {
        return new WrapNavigableMap<>(Objects.requireNonNull(m), PASS, null, null);
    }

    public static <E> Collection<E> checkedCollection(Collection<E> c, Class<E> type) {
        return new WrapCollection<>(Objects.requireNonNull(c), CHECKED, Objects.requireNonNull(type));
    }

    public static <E> Queue<E> checkedQueue(Queue<E> queue, Class<E> type) {
        return new CheckedQueue<>(Objects.requireNonNull(queue), Objects.requireNonNull(type));
    }

    public static <E> Set<E> checkedSet(Set<E> s, Class<E> type) {
        return new WrapSet<>(Objects.requireNonNull(s), CHECKED, Objects.requireNonNull(type));
    }

    public static <E> SortedSet<E> checkedSortedSet(SortedSet<E> s, Class<E> type) {
        return new WrapNavigableSet<>(Objects.requireNonNull(s), CHECKED, Objects.requireNonNull(type));
    }

    public static <E> NavigableSet<E> checkedNavigableSet(NavigableSet<E> s, Class<E> type) {
        return new WrapNavigableSet<>(Objects.requireNonNull(s), CHECKED, Objects.requireNonNull(type));
    }

    public static <E> List<E> checkedList(List<E> list, Class<E> type) {
        return wrapList(Objects.requireNonNull(list), CHECKED, Objects.requireNonNull(type));
    }

    public static <K, V> Map<K, V> checkedMap(Map<K, V> m, Class<K> keyType, Class<V> valueType) {
        return new WrapMap<>(Objects.requireNonNull(m), CHECKED, Objects.requireNonNull(keyType),
                Objects.requireNonNull(valueType));
    }

    public static <K, V> SortedMap<K, V> checkedSortedMap(SortedMap<K, V> m, Class<K> keyType, Class<V> valueType) {
        return new WrapNavigableMap<>(Objects.requireNonNull(m), CHECKED, Objects.requireNonNull(keyType),
                Objects.requireNonNull(valueType));
    }

    public static <K, V> NavigableMap<K, V> checkedNavigableMap(NavigableMap<K, V> m, Class<K> keyType, Class<V> valueType) {
        return new WrapNavigableMap<>(Objects.requireNonNull(m), CHECKED, Objects.requireNonNull(keyType),
                Objects.requireNonNull(valueType));
    }

    private static <T> List<T> wrapList(List<T> list, int mode, Class<T> type) {
        return (list instanceof RandomAccess) ? new WrapRandomAccessList<>(list, mode, type) : new WrapList<>(list, mode, type);
    }

    static Object typeCheck(Object o, Class<?> type) {
        if (o != null && !type.isInstance(o)) {
            throw new ClassCastException("Attempt to insert " + o.getClass() + " element into collection with element type "
                    + type);
        }
        return o;
    }

    /** Forwards to c; READ_ONLY rejects changes, CHECKED type-checks additions. */
    static class WrapCollection<E> implements Collection<E>, java.io.Serializable {
        final Collection<E> c;
        final int mode;
        final Class<E> type;

        WrapCollection(Collection<E> c, int mode, Class<E> type) {
            this.c = Objects.requireNonNull(c);
            this.mode = mode;
            this.type = type;
        }

        final void writable() {
            if (mode == READ_ONLY) {
                throw new UnsupportedOperationException();
            }
        }

        @SuppressWarnings("unchecked")
        final E check(Object e) {
            return (mode == CHECKED) ? (E) typeCheck(e, type) : (E) e;
        }

        public int size() {
            return c.size();
        }

        public boolean isEmpty() {
            return c.isEmpty();
        }

        public boolean contains(Object o) {
            return c.contains(o);
        }

        public Object[] toArray() {
            return c.toArray();
        }

        public <T> T[] toArray(T[] a) {
            return c.toArray(a);
        }

        public String toString() {
            return c.toString();
        }

        public Iterator<E> iterator() {
            final Iterator<E> i = c.iterator();
            if (mode != READ_ONLY) {
                return i;
            }
            return new Iterator<E>() {
                public boolean hasNext() {
                    return i.hasNext();
                }

                public E next() {
                    return i.next();
                }

                public void remove() {
                    throw new UnsupportedOperationException();
                }

                public void forEachRemaining(Consumer<? super E> action) {
                    i.forEachRemaining(action);
                }
            };
        }

        public boolean add(E e) {
            writable();
            return c.add(check(e));
        }

        public boolean remove(Object o) {
            writable();
            return c.remove(o);
        }

        public boolean containsAll(Collection<?> coll) {
            return c.containsAll(coll);
        }

        public boolean addAll(Collection<? extends E> coll) {
            writable();
            if (mode == CHECKED) {
                for (E e : coll) {
                    check(e);
                }
            }
            return c.addAll(coll);
        }

        public boolean removeAll(Collection<?> coll) {
            writable();
            return c.removeAll(coll);
        }

        public boolean retainAll(Collection<?> coll) {
            writable();
            return c.retainAll(coll);
        }

        public void clear() {
            writable();
            c.clear();
        }

        public void forEach(Consumer<? super E> action) {
            c.forEach(action);
        }

        public boolean removeIf(Predicate<? super E> filter) {
            writable();
            return c.removeIf(filter);
        }
    }

    static class WrapSet<E> extends WrapCollection<E> implements Set<E> {
        WrapSet(Set<E> s, int mode, Class<E> type) {
            super(s, mode, type);
        }

        public boolean equals(Object o) {
            return o == this || c.equals(o);
        }

        public int hashCode() {
            return c.hashCode();
        }
    }

    static class WrapNavigableSet<E> extends WrapSet<E> implements NavigableSet<E> {
        private final SortedSet<E> ss;

        WrapNavigableSet(SortedSet<E> s, int mode, Class<E> type) {
            super(s, mode, type);
            ss = s;
        }

        private NavigableSet<E> ns() {
            return (NavigableSet<E>) ss;
        }

        private NavigableSet<E> wrap(SortedSet<E> s) {
            return new WrapNavigableSet<>(s, mode, type);
        }

        public Comparator<? super E> comparator() {
            return ss.comparator();
        }

        public SortedSet<E> subSet(E fromElement, E toElement) {
            return wrap(ss.subSet(fromElement, toElement));
        }

        public SortedSet<E> headSet(E toElement) {
            return wrap(ss.headSet(toElement));
        }

        public SortedSet<E> tailSet(E fromElement) {
            return wrap(ss.tailSet(fromElement));
        }

        public E first() {
            return ss.first();
        }

        public E last() {
            return ss.last();
        }

        public E lower(E e) {
            return ns().lower(e);
        }

        public E floor(E e) {
            return ns().floor(e);
        }

        public E ceiling(E e) {
            return ns().ceiling(e);
        }

        public E higher(E e) {
            return ns().higher(e);
        }

        public E pollFirst() {
            writable();
            return ns().pollFirst();
        }

        public E pollLast() {
            writable();
            return ns().pollLast();
        }

        public NavigableSet<E> descendingSet() {
            return wrap(ns().descendingSet());
        }

        public Iterator<E> descendingIterator() {
            return descendingSet().iterator();
        }

        public NavigableSet<E> subSet(E fromElement, boolean fromInclusive, E toElement, boolean toInclusive) {
            return wrap(ns().subSet(fromElement, fromInclusive, toElement, toInclusive));
        }

        public NavigableSet<E> headSet(E toElement, boolean inclusive) {
            return wrap(ns().headSet(toElement, inclusive));
        }

        public NavigableSet<E> tailSet(E fromElement, boolean inclusive) {
            return wrap(ns().tailSet(fromElement, inclusive));
        }
    }

    static class WrapList<E> extends WrapCollection<E> implements List<E> {
        final List<E> list;

        WrapList(List<E> list, int mode, Class<E> type) {
            super(list, mode, type);
            this.list = list;
        }

        public boolean equals(Object o) {
            return o == this || list.equals(o);
        }

        public int hashCode() {
            return list.hashCode();
        }

        public E get(int index) {
            return list.get(index);
        }

        public E set(int index, E element) {
            writable();
            return list.set(index, check(element));
        }

        public void add(int index, E element) {
            writable();
            list.add(index, check(element));
        }

        public E remove(int index) {
            writable();
            return list.remove(index);
        }

        public int indexOf(Object o) {
            return list.indexOf(o);
        }

        public int lastIndexOf(Object o) {
            return list.lastIndexOf(o);
        }

        public boolean addAll(int index, Collection<? extends E> coll) {
            writable();
            if (mode == CHECKED) {
                for (E e : coll) {
                    check(e);
                }
            }
            return list.addAll(index, coll);
        }

        public void replaceAll(UnaryOperator<E> operator) {
            writable();
            list.replaceAll(mode == CHECKED ? e -> check(operator.apply(e)) : operator);
        }

        public void sort(Comparator<? super E> comp) {
            writable();
            list.sort(comp);
        }

        public ListIterator<E> listIterator() {
            return listIterator(0);
        }

        public ListIterator<E> listIterator(final int index) {
            final ListIterator<E> i = list.listIterator(index);
            if (mode == PASS) {
                return i;
            }
            return new ListIterator<E>() {
                public boolean hasNext() {
                    return i.hasNext();
                }

                public E next() {
                    return i.next();
                }

                public boolean hasPrevious() {
                    return i.hasPrevious();
                }

                public E previous() {
                    return i.previous();
                }

                public int nextIndex() {
                    return i.nextIndex();
                }

                public int previousIndex() {
                    return i.previousIndex();
                }

                public void remove() {
                    writable();
                    i.remove();
                }

                public void set(E e) {
                    writable();
                    i.set(check(e));
                }

                public void add(E e) {
                    writable();
                    i.add(check(e));
                }

                public void forEachRemaining(Consumer<? super E> action) {
                    i.forEachRemaining(action);
                }
            };
        }

        public List<E> subList(int fromIndex, int toIndex) {
            return wrapList(list.subList(fromIndex, toIndex), mode, type);
        }
    }

    static final class WrapRandomAccessList<E> extends WrapList<E> implements RandomAccess {
        WrapRandomAccessList(List<E> list, int mode, Class<E> type) {
            super(list, mode, type);
        }
    }

    static final class CheckedQueue<E> extends WrapCollection<E> implements Queue<E> {
        final Queue<E> queue;

        CheckedQueue(Queue<E> queue, Class<E> type) {
            super(queue, CHECKED, type);
            this.queue = queue;
        }

        public E element() {
            return queue.element();
        }

        public boolean equals(Object o) {
            return o == this || c.equals(o);
        }

        public int hashCode() {
            return c.hashCode();
        }

        public E peek() {
            return queue.peek();
        }

        public E poll() {
            return queue.poll();
        }

        public E remove() {
            return queue.remove();
        }

        public boolean offer(E e) {
            return queue.offer(check(e));
        }
    }

    static class WrapMap<K, V> implements Map<K, V>, java.io.Serializable {
        final Map<K, V> m;
        final int mode;
        final Class<K> keyType;
        final Class<V> valueType;

        WrapMap(Map<K, V> m, int mode, Class<K> keyType, Class<V> valueType) {
            this.m = Objects.requireNonNull(m);
            this.mode = mode;
            this.keyType = keyType;
            this.valueType = valueType;
        }

        final void writable() {
            if (mode == READ_ONLY) {
                throw new UnsupportedOperationException();
            }
        }

        @SuppressWarnings("unchecked")
        final K checkKey(Object k) {
            if (mode == CHECKED && k != null && !keyType.isInstance(k)) {
                throw new ClassCastException("Attempt to insert " + k.getClass() + " key into map with key type " + keyType);
            }
            return (K) k;
        }

        @SuppressWarnings("unchecked")
        final V checkValue(Object v) {
            if (mode == CHECKED && v != null && !valueType.isInstance(v)) {
                throw new ClassCastException("Attempt to insert " + v.getClass() + " value into map with value type " + valueType);
            }
            return (V) v;
        }

        public int size() {
            return m.size();
        }

        public boolean isEmpty() {
            return m.isEmpty();
        }

        public boolean containsKey(Object key) {
            return m.containsKey(key);
        }

        public boolean containsValue(Object val) {
            return m.containsValue(val);
        }

        public V get(Object key) {
            return m.get(key);
        }

        public V put(K key, V value) {
            writable();
            return m.put(checkKey(key), checkValue(value));
        }

        public V remove(Object key) {
            writable();
            return m.remove(key);
        }

        public void putAll(Map<? extends K, ? extends V> map) {
            writable();
            if (mode == CHECKED) {
                for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
                    checkKey(e.getKey());
                    checkValue(e.getValue());
                }
            }
            m.putAll(map);
        }

        public void clear() {
            writable();
            m.clear();
        }

        public Set<K> keySet() {
            return new WrapSet<>(m.keySet(), mode == CHECKED ? PASS : mode, null);
        }

        public Set<Map.Entry<K, V>> entrySet() {
            final Set<Map.Entry<K, V>> es = m.entrySet();
            if (mode == PASS) {
                return es;
            }
            return new WrapSet<Map.Entry<K, V>>(es, mode == CHECKED ? PASS : READ_ONLY, null) {
                public Iterator<Map.Entry<K, V>> iterator() {
                    final Iterator<Map.Entry<K, V>> i = es.iterator();
                    return new Iterator<Map.Entry<K, V>>() {
                        public boolean hasNext() {
                            return i.hasNext();
                        }

                        public Map.Entry<K, V> next() {
                            return wrapEntry(i.next());
                        }

                        public void remove() {
                            if (WrapMap.this.mode == READ_ONLY) {
                                throw new UnsupportedOperationException();
                            }
                            i.remove();
                        }
                    };
                }

                public Object[] toArray() {
                    Object[] a = es.toArray();
                    for (int i = 0; i < a.length; i++) {
                        @SuppressWarnings("unchecked")
                        Map.Entry<K, V> e = (Map.Entry<K, V>) a[i];
                        a[i] = wrapEntry(e);
                    }
                    return a;
                }

                @SuppressWarnings("unchecked")
                public <T> T[] toArray(T[] a) {
                    T[] r = es.toArray(a.length == 0 ? a : Arrays.copyOf(a, 0));
                    for (int i = 0; i < r.length; i++) {
                        r[i] = (T) wrapEntry((Map.Entry<K, V>) r[i]);
                    }
                    if (r.length > a.length) {
                        return r;
                    }
                    System.arraycopy(r, 0, a, 0, r.length);
                    if (a.length > r.length) {
                        a[r.length] = null;
                    }
                    return a;
                }

                public void forEach(Consumer<? super Map.Entry<K, V>> action) {
                    Objects.requireNonNull(action);
                    for (Map.Entry<K, V> e : es) {
                        action.accept(wrapEntry(e));
                    }
                }
            };
        }

        final Map.Entry<K, V> wrapEntry(final Map.Entry<K, V> e) {
            return new Map.Entry<K, V>() {
                public K getKey() {
                    return e.getKey();
                }

                public V getValue() {
                    return e.getValue();
                }

                public V setValue(V value) {
                    writable();
                    return e.setValue(checkValue(value));
                }

                public int hashCode() {
                    return e.hashCode();
                }

                public boolean equals(Object o) {
                    return o == this || e.equals(o);
                }

                public String toString() {
                    return e.toString();
                }
            };
        }

        public Collection<V> values() {
            return new WrapCollection<>(m.values(), mode == CHECKED ? PASS : mode, null);
        }

        public boolean equals(Object o) {
            return o == this || m.equals(o);
        }

        public int hashCode() {
            return m.hashCode();
        }

        public String toString() {
            return m.toString();
        }

        public V getOrDefault(Object k, V defaultValue) {
            return m.getOrDefault(k, defaultValue);
        }

        public void forEach(java.util.function.BiConsumer<? super K, ? super V> action) {
            m.forEach(action);
        }

        public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
            writable();
            m.replaceAll(mode == CHECKED ? (k, v) -> checkValue(function.apply(k, v)) : function);
        }

        public V putIfAbsent(K key, V value) {
            writable();
            return m.putIfAbsent(checkKey(key), checkValue(value));
        }

        public boolean remove(Object key, Object value) {
            writable();
            return m.remove(key, value);
        }

        public boolean replace(K key, V oldValue, V newValue) {
            writable();
            return m.replace(key, oldValue, checkValue(newValue));
        }

        public V replace(K key, V value) {
            writable();
            return m.replace(key, checkValue(value));
        }

        public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
            writable();
            return m.computeIfAbsent(checkKey(key), k -> checkValue(mappingFunction.apply(k)));
        }

        public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
            writable();
            return m.computeIfPresent(key, (k, v) -> checkValue(remappingFunction.apply(k, v)));
        }

        public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
            writable();
            return m.compute(checkKey(key), (k, v) -> checkValue(remappingFunction.apply(k, v)));
        }

        public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
            writable();
            return m.merge(checkKey(key), checkValue(value), (a, b) -> checkValue(remappingFunction.apply(a, b)));
        }
    }

    static final class WrapNavigableMap<K, V> extends WrapMap<K, V> implements NavigableMap<K, V> {
        private final SortedMap<K, V> sm;

        WrapNavigableMap(SortedMap<K, V> m, int mode, Class<K> keyType, Class<V> valueType) {
            super(m, mode, keyType, valueType);
            sm = m;
        }

        private NavigableMap<K, V> nm() {
            return (NavigableMap<K, V>) sm;
        }

        private NavigableMap<K, V> wrap(SortedMap<K, V> map) {
            return new WrapNavigableMap<>(map, mode, keyType, valueType);
        }

        private Map.Entry<K, V> entry(Map.Entry<K, V> e) {
            return (e == null || mode != READ_ONLY) ? e : new AbstractMap.SimpleImmutableEntry<>(e);
        }

        public Comparator<? super K> comparator() {
            return sm.comparator();
        }

        public SortedMap<K, V> subMap(K fromKey, K toKey) {
            return wrap(sm.subMap(fromKey, toKey));
        }

        public SortedMap<K, V> headMap(K toKey) {
            return wrap(sm.headMap(toKey));
        }

        public SortedMap<K, V> tailMap(K fromKey) {
            return wrap(sm.tailMap(fromKey));
        }

        public K firstKey() {
            return sm.firstKey();
        }

        public K lastKey() {
            return sm.lastKey();
        }

        public Map.Entry<K, V> lowerEntry(K key) {
            return entry(nm().lowerEntry(key));
        }

        public K lowerKey(K key) {
            return nm().lowerKey(key);
        }

        public Map.Entry<K, V> floorEntry(K key) {
            return entry(nm().floorEntry(key));
        }

        public K floorKey(K key) {
            return nm().floorKey(key);
        }

        public Map.Entry<K, V> ceilingEntry(K key) {
            return entry(nm().ceilingEntry(key));
        }

        public K ceilingKey(K key) {
            return nm().ceilingKey(key);
        }

        public Map.Entry<K, V> higherEntry(K key) {
            return entry(nm().higherEntry(key));
        }

        public K higherKey(K key) {
            return nm().higherKey(key);
        }

        public Map.Entry<K, V> firstEntry() {
            return entry(nm().firstEntry());
        }

        public Map.Entry<K, V> lastEntry() {
            return entry(nm().lastEntry());
        }

        public Map.Entry<K, V> pollFirstEntry() {
            writable();
            return nm().pollFirstEntry();
        }

        public Map.Entry<K, V> pollLastEntry() {
            writable();
            return nm().pollLastEntry();
        }

        public NavigableMap<K, V> descendingMap() {
            return wrap(nm().descendingMap());
        }

        public NavigableSet<K> navigableKeySet() {
            return new WrapNavigableSet<>(nm().navigableKeySet(), mode == CHECKED ? PASS : mode, null);
        }

        public NavigableSet<K> descendingKeySet() {
            return new WrapNavigableSet<>(nm().descendingKeySet(), mode == CHECKED ? PASS : mode, null);
        }

        public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
            return wrap(nm().subMap(fromKey, fromInclusive, toKey, toInclusive));
        }

        public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
            return wrap(nm().headMap(toKey, inclusive));
        }

        public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
            return wrap(nm().tailMap(fromKey, inclusive));
        }
    }

    // ---- empty and singleton collections

    @SuppressWarnings("rawtypes")
    public static final Set EMPTY_SET = new EmptySet<>();

    @SuppressWarnings("rawtypes")
    public static final List EMPTY_LIST = new EmptyList<>();

    @SuppressWarnings("rawtypes")
    public static final Map EMPTY_MAP = new EmptyMap<>();

    @SuppressWarnings("unchecked")
    public static <T> Iterator<T> emptyIterator() {
        return (Iterator<T>) EmptyIterator.INSTANCE;
    }

    @SuppressWarnings("unchecked")
    public static <T> ListIterator<T> emptyListIterator() {
        return (ListIterator<T>) EmptyIterator.INSTANCE;
    }

    @SuppressWarnings("unchecked")
    public static <T> Enumeration<T> emptyEnumeration() {
        return (Enumeration<T>) EmptyIterator.INSTANCE;
    }

    private static final class EmptyIterator<E> implements ListIterator<E>, Enumeration<E> {
        static final EmptyIterator<Object> INSTANCE = new EmptyIterator<>();

        public boolean hasNext() {
            return false;
        }

        public E next() {
            throw new NoSuchElementException();
        }

        public boolean hasPrevious() {
            return false;
        }

        public E previous() {
            throw new NoSuchElementException();
        }

        public int nextIndex() {
            return 0;
        }

        public int previousIndex() {
            return -1;
        }

        public void remove() {
            throw new IllegalStateException();
        }

        public void set(E e) {
            throw new IllegalStateException();
        }

        public void add(E e) {
            throw new UnsupportedOperationException();
        }

        public boolean hasMoreElements() {
            return false;
        }

        public E nextElement() {
            throw new NoSuchElementException();
        }

        public void forEachRemaining(Consumer<? super E> action) {
            Objects.requireNonNull(action);
        }
    }

    @SuppressWarnings("unchecked")
    public static final <T> Set<T> emptySet() {
        return (Set<T>) EMPTY_SET;
    }

    public static <E> SortedSet<E> emptySortedSet() {
        return unmodifiableNavigableSet(new TreeSet<>());
    }

    public static <E> NavigableSet<E> emptyNavigableSet() {
        return unmodifiableNavigableSet(new TreeSet<>());
    }

    @SuppressWarnings("unchecked")
    public static final <T> List<T> emptyList() {
        return (List<T>) EMPTY_LIST;
    }

    @SuppressWarnings("unchecked")
    public static final <K, V> Map<K, V> emptyMap() {
        return (Map<K, V>) EMPTY_MAP;
    }

    public static final <K, V> SortedMap<K, V> emptySortedMap() {
        return unmodifiableNavigableMap(new TreeMap<>());
    }

    public static final <K, V> NavigableMap<K, V> emptyNavigableMap() {
        return unmodifiableNavigableMap(new TreeMap<>());
    }

    private static final class EmptySet<E> extends AbstractSet<E> implements java.io.Serializable {
        public Iterator<E> iterator() {
            return emptyIterator();
        }

        public int size() {
            return 0;
        }

        public boolean isEmpty() {
            return true;
        }

        public void clear() {
        }

        public boolean contains(Object obj) {
            return false;
        }

        public boolean containsAll(Collection<?> c) {
            return c.isEmpty();
        }

        public Object[] toArray() {
            return new Object[0];
        }

        public <T> T[] toArray(T[] a) {
            if (a.length > 0) {
                a[0] = null;
            }
            return a;
        }

        public boolean removeIf(Predicate<? super E> filter) {
            Objects.requireNonNull(filter);
            return false;
        }

        public int hashCode() {
            return 0;
        }
    }

    private static final class EmptyList<E> extends AbstractList<E> implements RandomAccess, java.io.Serializable {
        public Iterator<E> iterator() {
            return emptyIterator();
        }

        public ListIterator<E> listIterator() {
            return emptyListIterator();
        }

        public int size() {
            return 0;
        }

        public boolean isEmpty() {
            return true;
        }

        public void clear() {
        }

        public boolean contains(Object obj) {
            return false;
        }

        public boolean containsAll(Collection<?> c) {
            return c.isEmpty();
        }

        public Object[] toArray() {
            return new Object[0];
        }

        public <T> T[] toArray(T[] a) {
            if (a.length > 0) {
                a[0] = null;
            }
            return a;
        }

        public E get(int index) {
            throw new IndexOutOfBoundsException("Index: " + index);
        }

        public boolean equals(Object o) {
            return (o instanceof List) && ((List<?>) o).isEmpty();
        }

        public int hashCode() {
            return 1;
        }

        public boolean removeIf(Predicate<? super E> filter) {
            Objects.requireNonNull(filter);
            return false;
        }

        public void replaceAll(UnaryOperator<E> operator) {
            Objects.requireNonNull(operator);
        }

        public void sort(Comparator<? super E> c) {
        }
    }

    private static final class EmptyMap<K, V> extends AbstractMap<K, V> implements java.io.Serializable {
        public int size() {
            return 0;
        }

        public boolean isEmpty() {
            return true;
        }

        public void clear() {
        }

        public boolean containsKey(Object key) {
            return false;
        }

        public boolean containsValue(Object value) {
            return false;
        }

        public V get(Object key) {
            return null;
        }

        public Set<K> keySet() {
            return emptySet();
        }

        public Collection<V> values() {
            return emptySet();
        }

        public Set<Map.Entry<K, V>> entrySet() {
            return emptySet();
        }

        public boolean equals(Object o) {
            return (o instanceof Map) && ((Map<?, ?>) o).isEmpty();
        }

        public int hashCode() {
            return 0;
        }

        public V getOrDefault(Object k, V defaultValue) {
            return defaultValue;
        }

        public V putIfAbsent(K key, V value) {
            throw new UnsupportedOperationException();
        }

        public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
            throw new UnsupportedOperationException();
        }

        public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
            throw new UnsupportedOperationException();
        }

        public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
            throw new UnsupportedOperationException();
        }
    }

    public static <T> Set<T> singleton(T o) {
        return new SingletonSet<>(o);
    }

    private static final class SingletonSet<E> extends AbstractSet<E> implements java.io.Serializable {
        private final E element;

        SingletonSet(E e) {
            element = e;
        }

        public Iterator<E> iterator() {
            return singletonIterator(element);
        }

        public int size() {
            return 1;
        }

        public boolean contains(Object o) {
            return Objects.equals(o, element);
        }

        public boolean removeIf(Predicate<? super E> filter) {
            throw new UnsupportedOperationException();
        }

        public int hashCode() {
            return Objects.hashCode(element);
        }
    }

    static <E> Iterator<E> singletonIterator(final E e) {
        return new Iterator<E>() {
            private boolean hasNext = true;

            public boolean hasNext() {
                return hasNext;
            }

            public E next() {
                if (hasNext) {
                    hasNext = false;
                    return e;
                }
                throw new NoSuchElementException();
            }

            public void remove() {
                throw new UnsupportedOperationException();
            }
        };
    }

    public static <T> List<T> singletonList(T o) {
        return new SingletonList<>(o);
    }

    private static final class SingletonList<E> extends AbstractList<E> implements RandomAccess, java.io.Serializable {
        private final E element;

        SingletonList(E obj) {
            element = obj;
        }

        public Iterator<E> iterator() {
            return singletonIterator(element);
        }

        public int size() {
            return 1;
        }

        public boolean contains(Object obj) {
            return Objects.equals(obj, element);
        }

        public E get(int index) {
            if (index != 0) {
                throw new IndexOutOfBoundsException("Index: " + index + ", Size: 1");
            }
            return element;
        }

        public boolean removeIf(Predicate<? super E> filter) {
            throw new UnsupportedOperationException();
        }

        public void replaceAll(UnaryOperator<E> operator) {
            throw new UnsupportedOperationException();
        }

        public void sort(Comparator<? super E> c) {
        }

        public int hashCode() {
            return 31 + Objects.hashCode(element);
        }
    }

    public static <K, V> Map<K, V> singletonMap(K key, V value) {
        return new SingletonMap<>(key, value);
    }

    private static final class SingletonMap<K, V> extends AbstractMap<K, V> implements java.io.Serializable {
        private final K k;
        private final V v;

        SingletonMap(K key, V value) {
            k = key;
            v = value;
        }

        public int size() {
            return 1;
        }

        public boolean isEmpty() {
            return false;
        }

        public boolean containsKey(Object key) {
            return Objects.equals(key, k);
        }

        public boolean containsValue(Object value) {
            return Objects.equals(value, v);
        }

        public V get(Object key) {
            return Objects.equals(key, k) ? v : null;
        }

        public Set<K> keySet() {
            return singleton(k);
        }

        public Set<Map.Entry<K, V>> entrySet() {
            return singleton(new AbstractMap.SimpleImmutableEntry<>(k, v));
        }

        public Collection<V> values() {
            return singletonList(v);
        }

        public int hashCode() {
            return Objects.hashCode(k) ^ Objects.hashCode(v);
        }

        public V putIfAbsent(K key, V value) {
            throw new UnsupportedOperationException();
        }

        public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
            throw new UnsupportedOperationException();
        }

        public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
            throw new UnsupportedOperationException();
        }

        public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
            throw new UnsupportedOperationException();
        }
    }

    public static <T> List<T> nCopies(int n, T o) {
        if (n < 0) {
            throw new IllegalArgumentException("List length = " + n);
        }
        return new CopiesList<>(n, o);
    }

    private static final class CopiesList<E> extends AbstractList<E> implements RandomAccess, java.io.Serializable {
        final int n;
        final E element;

        CopiesList(int n, E e) {
            this.n = n;
            element = e;
        }

        public int size() {
            return n;
        }

        public boolean contains(Object obj) {
            return n != 0 && Objects.equals(obj, element);
        }

        public int indexOf(Object o) {
            return contains(o) ? 0 : -1;
        }

        public int lastIndexOf(Object o) {
            return contains(o) ? n - 1 : -1;
        }

        public E get(int index) {
            if (index < 0 || index >= n) {
                throw new IndexOutOfBoundsException("Index: " + index + ", Size: " + n);
            }
            return element;
        }

        public Object[] toArray() {
            Object[] a = new Object[n];
            if (element != null) {
                Arrays.fill(a, 0, n, element);
            }
            return a;
        }
    }

    // ---- comparators

    @SuppressWarnings("unchecked")
    public static <T> Comparator<T> reverseOrder() {
        return (Comparator<T>) ReverseNatural.INSTANCE;
    }

    private static final class ReverseNatural implements Comparator<Comparable<Object>>, java.io.Serializable {
        static final ReverseNatural INSTANCE = new ReverseNatural();

        public int compare(Comparable<Object> c1, Comparable<Object> c2) {
            return c2.compareTo(c1);
        }

        @SuppressWarnings("unchecked")
        public Comparator<Comparable<Object>> reversed() {
            return (Comparator<Comparable<Object>>) (Comparator<?>) new NaturalComparator();
        }
    }

    /** Natural order, for reverseOrder().reversed(). */
    private static final class NaturalComparator implements Comparator<Comparable<Object>>, java.io.Serializable {
        public int compare(Comparable<Object> c1, Comparable<Object> c2) {
            return c1.compareTo(c2);
        }

        public Comparator<Comparable<Object>> reversed() {
            return Collections.reverseOrder();
        }

        public boolean equals(Object o) {
            return o instanceof NaturalComparator;
        }

        public int hashCode() {
            return 1;
        }
    }

    @SuppressWarnings("unchecked")
    public static <T> Comparator<T> reverseOrder(Comparator<T> cmp) {
        if (cmp == null) {
            return (Comparator<T>) ReverseNatural.INSTANCE;
        } else if (cmp == ReverseNatural.INSTANCE) {
            return (Comparator<T>) (Comparator<?>) new NaturalComparator();
        } else if (cmp instanceof Reversed) {
            return ((Reversed<T>) cmp).cmp;
        }
        return new Reversed<>(cmp);
    }

    private static final class Reversed<T> implements Comparator<T>, java.io.Serializable {
        final Comparator<T> cmp;

        Reversed(Comparator<T> cmp) {
            this.cmp = cmp;
        }

        public int compare(T t1, T t2) {
            return cmp.compare(t2, t1);
        }

        public boolean equals(Object o) {
            return (o == this) || (o instanceof Reversed && cmp.equals(((Reversed<?>) o).cmp));
        }

        public int hashCode() {
            return cmp.hashCode() ^ Integer.MIN_VALUE;
        }

        public Comparator<T> reversed() {
            return cmp;
        }
    }

    // ---- miscellany

    public static <T> Enumeration<T> enumeration(final Collection<T> c) {
        return new Enumeration<T>() {
            private final Iterator<T> i = c.iterator();

            public boolean hasMoreElements() {
                return i.hasNext();
            }

            public T nextElement() {
                return i.next();
            }
        };
    }

    public static <T> ArrayList<T> list(Enumeration<T> e) {
        ArrayList<T> l = new ArrayList<>();
        while (e.hasMoreElements()) {
            l.add(e.nextElement());
        }
        return l;
    }

    public static int frequency(Collection<?> c, Object o) {
        int result = 0;
        for (Object e : c) {
            if (Objects.equals(o, e)) {
                result++;
            }
        }
        return result;
    }

    public static boolean disjoint(Collection<?> c1, Collection<?> c2) {
        for (Object e : c1) {
            if (c2.contains(e)) {
                return false;
            }
        }
        return true;
    }

    @SafeVarargs
    public static <T> boolean addAll(Collection<? super T> c, T... elements) {
        boolean result = false;
        for (T element : elements) {
            result |= c.add(element);
        }
        return result;
    }

    public static <E> Set<E> newSetFromMap(Map<E, Boolean> map) {
        if (!map.isEmpty()) {
            throw new IllegalArgumentException("Map is non-empty");
        }
        return new SetFromMap<>(map);
    }

    private static final class SetFromMap<E> extends AbstractSet<E> implements java.io.Serializable {
        private final Map<E, Boolean> m;

        SetFromMap(Map<E, Boolean> map) {
            m = map;
        }

        public void clear() {
            m.clear();
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

        public boolean remove(Object o) {
            return m.remove(o) != null;
        }

        public boolean add(E e) {
            return m.put(e, Boolean.TRUE) == null;
        }

        public Iterator<E> iterator() {
            return m.keySet().iterator();
        }

        public String toString() {
            return m.keySet().toString();
        }

        public int hashCode() {
            return m.keySet().hashCode();
        }

        public boolean equals(Object o) {
            return o == this || m.keySet().equals(o);
        }
    }

    public static <T> Queue<T> asLifoQueue(Deque<T> deque) {
        return new AsLifoQueue<>(Objects.requireNonNull(deque));
    }

    private static final class AsLifoQueue<E> extends AbstractQueue<E> implements Queue<E>, java.io.Serializable {
        private final Deque<E> q;

        AsLifoQueue(Deque<E> q) {
            this.q = q;
        }

        public boolean add(E e) {
            q.addFirst(e);
            return true;
        }

        public boolean offer(E e) {
            return q.offerFirst(e);
        }

        public E poll() {
            return q.pollFirst();
        }

        public E remove() {
            return q.removeFirst();
        }

        public E peek() {
            return q.peekFirst();
        }

        public E element() {
            return q.getFirst();
        }

        public void clear() {
            q.clear();
        }

        public int size() {
            return q.size();
        }

        public boolean isEmpty() {
            return q.isEmpty();
        }

        public boolean contains(Object o) {
            return q.contains(o);
        }

        public boolean remove(Object o) {
            return q.remove(o);
        }

        public Iterator<E> iterator() {
            return q.iterator();
        }

        public String toString() {
            return q.toString();
        }
    }
}
