package java.lang.invoke;

/** The lambda bootstraps javac names; the Capuchin VM implements them itself. */
public final class LambdaMetafactory {
    private LambdaMetafactory() {
    }

    public static final int FLAG_SERIALIZABLE = 1 << 0;
    public static final int FLAG_MARKERS = 1 << 1;
    public static final int FLAG_BRIDGES = 1 << 2;

    public static CallSite metafactory(MethodHandles.Lookup caller, String interfaceMethodName, MethodType factoryType,
                                       MethodType interfaceMethodType, MethodHandle implementation,
                                       MethodType dynamicMethodType) {
        throw new UnsupportedOperationException("implemented inside the VM");
    }

    public static CallSite altMetafactory(MethodHandles.Lookup caller, String interfaceMethodName,
                                          MethodType factoryType, Object... args) {
        throw new UnsupportedOperationException("implemented inside the VM");
    }
}
