package java.lang;

/**
 * A minimal Class: what the VM's natives give (docs/jvm.md) and what can be derived from
 * them. No reflection, no class loaders, no Class.forName. The primitive classes are
 * reached as component types of primitive arrays (int[].class.getComponentType()).
 */
public final class Class<T> implements java.io.Serializable {
    private Class() {
    }

    /** The binary name: "java.lang.String", "[I", "[Ljava.lang.String;", "int". */
    public native String getName();

    public native boolean isInstance(Object obj);

    public native boolean isArray();

    public native Class<?> getComponentType();

    public native Class<? super T> getSuperclass();

    public native boolean isInterface();

    public native boolean desiredAssertionStatus();

    public String toString() {
        return (isInterface() ? "interface " : (isPrimitive() ? "" : "class ")) + getName();
    }

    public boolean isPrimitive() {
        if (isArray() || isInterface()) {
            return false;
        }
        switch (getName()) {
            case "boolean": case "byte": case "char": case "short": case "int": case "long":
            case "float": case "double": case "void":
                // A class of ours cannot be named like a keyword, so these are the primitives;
                // they have no superclass (unlike any class but Object).
                return getSuperclass() == null;
            default:
                return false;
        }
    }

    public boolean isEnum() {
        return getSuperclass() == Enum.class;
    }

    public boolean isRecord() {
        return getSuperclass() == Record.class;
    }

    public Class<?> componentType() {
        return isArray() ? getComponentType() : null;
    }

    @SuppressWarnings("unchecked")
    public T cast(Object obj) {
        if (obj != null && !isInstance(obj)) {
            throw new ClassCastException("Cannot cast " + obj.getClass().getName() + " to " + getName());
        }
        return (T) obj;
    }

    /** True if cls is this class or a subclass of it (interfaces only when cls is this one). */
    public boolean isAssignableFrom(Class<?> cls) {
        if (cls == this) {
            return true;
        }
        if (cls.isPrimitive() || isPrimitive()) {
            return false;
        }
        if (this == Object.class) {
            return true;
        }
        for (Class<?> c = cls.getSuperclass(); c != null; c = c.getSuperclass()) {
            if (c == this) {
                return true;
            }
        }
        if (isInterface()) {
            throw new UnsupportedOperationException("isAssignableFrom with an interface: no reflection in capuchin");
        }
        return false;
    }

    public String getPackageName() {
        Class<?> c = this;
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive()) {
            return "java.lang";
        }
        String cn = c.getName();
        int dot = cn.lastIndexOf('.');
        return (dot != -1) ? cn.substring(0, dot) : "";
    }

    /**
     * The JDK reads the InnerClasses attribute; we derive the simple name from javac's binary
     * naming: Outer$Inner gives "Inner", Outer$1 (anonymous) gives "", Outer$1Local gives "Local".
     */
    public String getSimpleName() {
        if (isArray()) {
            return getComponentType().getSimpleName() + "[]";
        }
        String name = getName();
        String simple = name.substring(name.lastIndexOf('.') + 1);
        int dollar = simple.lastIndexOf('$');
        if (dollar < 0) {
            return simple;
        }
        simple = simple.substring(dollar + 1);
        int i = 0;
        while (i < simple.length() && simple.charAt(i) >= '0' && simple.charAt(i) <= '9') {
            i++;
        }
        return simple.substring(i);
    }

    public String getTypeName() {
        if (isArray()) {
            Class<?> cl = this;
            int dimensions = 0;
            while (cl.isArray()) {
                dimensions++;
                cl = cl.getComponentType();
            }
            return cl.getName() + "[]".repeat(dimensions);
        }
        return getName();
    }

    /** Canonical name from the binary name ('$' taken as nesting); null for local and anonymous classes. */
    public String getCanonicalName() {
        if (isArray()) {
            String canonicalName = getComponentType().getCanonicalName();
            return canonicalName == null ? null : canonicalName + "[]";
        }
        String name = getName();
        int dollar = name.indexOf('$');
        if (dollar < 0) {
            return name;
        }
        String[] parts = name.split("\\$");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty() || Character.isDigit(parts[i].charAt(0))) {
                return null;
            }
            sb.append('.').append(parts[i]);
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    public T[] getEnumConstants() {
        if (!isEnum()) {
            return null;
        }
        capuchin.internal.VM.ensureClassInitialized(this);
        Object[] constants = Enum.constantsOf(this);
        if (constants == null) {
            return null;
        }
        T[] result = (T[]) java.lang.reflect.Array.newInstance(this, constants.length);
        System.arraycopy(constants, 0, result, 0, constants.length);
        return result;
    }
}
