package java.lang.reflect;

public final class Array {
    private Array() {}
    public static native Object newArray(Class<?> componentType, int length);
}
