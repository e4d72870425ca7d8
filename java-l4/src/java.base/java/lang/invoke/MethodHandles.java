package java.lang.invoke;

/** Named in javac's constant pools (bootstrap signatures); never instantiated here. */
public class MethodHandles {
    private MethodHandles() {
    }

    public static final class Lookup {
        private Lookup() {
        }
    }
}
