package java.lang.invoke;

/** Named in javac's constant pools; invokedynamic is implemented inside the Capuchin VM. */
public final class MethodType implements java.io.Serializable {
    private MethodType() {
    }
}
