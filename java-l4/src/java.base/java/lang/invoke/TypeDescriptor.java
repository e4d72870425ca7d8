package java.lang.invoke;

/** Named by ObjectMethods.bootstrap's signature. */
public interface TypeDescriptor {
    String descriptorString();
}
