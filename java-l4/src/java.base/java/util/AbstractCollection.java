// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

/** The skeletal Collection of the specification: everything through iterator() and size(). */
public abstract class AbstractCollection<E> implements Collection<E> {
    protected AbstractCollection() {
    }

    public abstract Iterator<E> iterator();

    public abstract int size();

    public boolean isEmpty() {
        return size() == 0;
    }

    public boolean contains(Object o) {
        for (Iterator<E> it = iterator(); it.hasNext(); ) {
            if (Objects.equals(o, it.next())) {
                return true;
            }
        }
        return false;
    }

    /** The elements the iterator returns (which may be more or fewer than size() said). */
    public Object[] toArray() {
        Object[] r = new Object[size()];
        int n = 0;
        for (Iterator<E> it = iterator(); it.hasNext(); ) {
            if (n == r.length) {
                r = Arrays.copyOf(r, grow(r.length));
            }
            r[n++] = it.next();
        }
        return n == r.length ? r : Arrays.copyOf(r, n);
    }

    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
        int size = size();
        T[] r = a.length >= size ? a : (T[]) java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), size);
        int n = 0;
        for (Iterator<E> it = iterator(); it.hasNext(); ) {
            if (n == r.length) {
                r = Arrays.copyOf(r, grow(r.length));
            }
            r[n++] = (T) it.next();
        }
        if (r == a) {
            if (n < a.length) {
                a[n] = null;
            }
            return a;
        }
        if (n < r.length) {
            if (a.length >= n) {
                System.arraycopy(r, 0, a, 0, n);
                if (n < a.length) {
                    a[n] = null;
                }
                return a;
            }
            return Arrays.copyOf(r, n);
        }
        return r;
    }

    private static int grow(int length) {
        int n = length + (length >> 1) + 1;
        if (n < 0) {
            throw new OutOfMemoryError("Required array size too large");
        }
        return n;
    }

    public boolean add(E e) {
        throw new UnsupportedOperationException();
    }

    public boolean remove(Object o) {
        for (Iterator<E> it = iterator(); it.hasNext(); ) {
            if (Objects.equals(o, it.next())) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    public boolean containsAll(Collection<?> c) {
        for (Object e : c) {
            if (!contains(e)) {
                return false;
            }
        }
        return true;
    }

    public boolean addAll(Collection<? extends E> c) {
        boolean modified = false;
        for (E e : c) {
            if (add(e)) {
                modified = true;
            }
        }
        return modified;
    }

    public boolean removeAll(Collection<?> c) {
        Objects.requireNonNull(c);
        boolean modified = false;
        for (Iterator<?> it = iterator(); it.hasNext(); ) {
            if (c.contains(it.next())) {
                it.remove();
                modified = true;
            }
        }
        return modified;
    }

    public boolean retainAll(Collection<?> c) {
        Objects.requireNonNull(c);
        boolean modified = false;
        for (Iterator<E> it = iterator(); it.hasNext(); ) {
            if (!c.contains(it.next())) {
                it.remove();
                modified = true;
            }
        }
        return modified;
    }

    public void clear() {
        for (Iterator<E> it = iterator(); it.hasNext(); ) {
            it.next();
            it.remove();
        }
    }

    /** "[a, b, c]"; the collection itself prints as "(this Collection)". */
    public String toString() {
        Iterator<E> it = iterator();
        if (!it.hasNext()) {
            return "[]";
        }
        StringBuilder sb = new StringBuilder();
        sb.append('[');
        while (true) {
            E e = it.next();
            sb.append(e == this ? "(this Collection)" : e);
            if (!it.hasNext()) {
                return sb.append(']').toString();
            }
            sb.append(',').append(' ');
        }
    }
}
