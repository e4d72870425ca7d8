package java.lang.invoke;

/** Named in javac's constant pools; invokedynamic is implemented inside the Capuchin VM. */
public abstract class MethodHandle {
    MethodHandle() {
    }
}
