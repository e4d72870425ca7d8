package java.lang;

import java.util.ArrayList;
import java.util.HashMap;

/**
 * Enum. Without reflection, valueOf(Class, String) and Class.getEnumConstants() use a
 * registry filled by this constructor: every constant registers with its enum class while
 * the class initializes, in ordinal order; the VM native ensureClassInitialized runs that
 * initialization first when needed.
 */
public abstract class Enum<E extends Enum<E>> implements Comparable<E>, java.io.Serializable {
    private final String name;
    private final int ordinal;

    private static final HashMap<Class<?>, ArrayList<Enum<?>>> CONSTANTS = new HashMap<>();

    protected Enum(String name, int ordinal) {
        this.name = name;
        this.ordinal = ordinal;
        Class<?> c = getDeclaringClass();
        ArrayList<Enum<?>> list = CONSTANTS.get(c);
        if (list == null) {
            list = new ArrayList<>();
            CONSTANTS.put(c, list);
        }
        list.add(this);
    }

    public final String name() {
        return name;
    }

    public final int ordinal() {
        return ordinal;
    }

    public String toString() {
        return name;
    }

    public final boolean equals(Object other) {
        return this == other;
    }

    public final int hashCode() {
        return super.hashCode();
    }

    protected final Object clone() throws CloneNotSupportedException {
        throw new CloneNotSupportedException();
    }

    public final int compareTo(E o) {
        Enum<?> other = o;
        Enum<E> self = this;
        if (self.getClass() != other.getClass() && self.getDeclaringClass() != other.getDeclaringClass()) {
            throw new ClassCastException();
        }
        return self.ordinal - other.ordinal;
    }

    @SuppressWarnings("unchecked")
    public final Class<E> getDeclaringClass() {
        Class<?> clazz = getClass();
        Class<?> zuper = clazz.getSuperclass();
        return (zuper == Enum.class) ? (Class<E>) clazz : (Class<E>) zuper;
    }

    /** The constants registered for an enum class, in ordinal order, or null. */
    static Object[] constantsOf(Class<?> enumClass) {
        ArrayList<Enum<?>> list = CONSTANTS.get(enumClass);
        return list == null ? null : list.toArray();
    }

    public static <T extends Enum<T>> T valueOf(Class<T> enumClass, String name) {
        capuchin.internal.VM.ensureClassInitialized(enumClass);
        ArrayList<Enum<?>> list = CONSTANTS.get(enumClass);
        if (list != null && name != null) {
            for (Enum<?> e : list) {
                if (e.name.equals(name)) {
                    return enumClass.cast(e);
                }
            }
        }
        if (name == null) {
            throw new NullPointerException("Name is null");
        }
        throw new IllegalArgumentException("No enum constant " + enumClass.getCanonicalName() + "." + name);
    }

    @Deprecated(since = "18")
    protected final void finalize() {
    }
}
