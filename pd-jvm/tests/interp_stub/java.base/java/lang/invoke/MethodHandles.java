package java.lang.invoke;

public final class MethodHandles {
    private MethodHandles() {}
    public static final class Lookup {
        private Lookup() {}
    }
}
