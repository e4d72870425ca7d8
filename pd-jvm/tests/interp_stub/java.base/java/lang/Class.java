package java.lang;

public final class Class<T> {
    private Class() {}
    public native String getName();
    public native boolean isInstance(Object obj);
    public native boolean isArray();
    public native boolean isPrimitive();
    public native boolean isInterface();
    public native Class<?> getComponentType();
    public native Class<? super T> getSuperclass();
    public native boolean desiredAssertionStatus();
    public String getSimpleName() {
        String n = getName();
        int i = n.length() - 1;
        while (i >= 0 && n.charAt(i) != '.' && n.charAt(i) != '$') i--;
        return n.substring(i + 1);
    }
    @SuppressWarnings("unchecked")
    public T cast(Object obj) {
        if (obj != null && !isInstance(obj)) throw new ClassCastException(new StringBuilder("Cannot cast ").append(obj.getClass().getName()).append(" to ").append(getName()).toString());
        return (T) obj;
    }
    public String toString() {
        return new StringBuilder(isInterface() ? "interface " : (isPrimitive() ? "" : "class ")).append(getName()).toString();
    }
}
