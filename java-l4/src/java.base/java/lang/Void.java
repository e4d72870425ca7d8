package java.lang;

/**
 * Void. TYPE (the class object of void, what "void.class" compiles to) cannot be reached
 * through the natives of docs/jvm.md (primitive classes are found as component types of
 * primitive arrays, and there are no void arrays), so it is null until the VM offers it.
 */
public final class Void {
    public static final Class<Void> TYPE = null;

    private Void() {
    }
}
