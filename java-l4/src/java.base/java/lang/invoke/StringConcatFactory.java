package java.lang.invoke;

/**
 * The bootstrap javac names for string concatenation. The Capuchin VM recognizes it and
 * implements the call site itself, so these methods never run.
 */
public final class StringConcatFactory {
    private StringConcatFactory() {
    }

    public static CallSite makeConcat(MethodHandles.Lookup lookup, String name, MethodType concatType) {
        throw new UnsupportedOperationException("implemented inside the VM");
    }

    public static CallSite makeConcatWithConstants(MethodHandles.Lookup lookup, String name, MethodType concatType,
                                                   String recipe, Object... constants) {
        throw new UnsupportedOperationException("implemented inside the VM");
    }
}
