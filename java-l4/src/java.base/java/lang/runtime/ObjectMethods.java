package java.lang.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.TypeDescriptor;

/** The record bootstrap javac names; the Capuchin VM implements it itself. */
public class ObjectMethods {
    private ObjectMethods() {
    }

    public static Object bootstrap(MethodHandles.Lookup lookup, String methodName, TypeDescriptor type,
                                   Class<?> recordClass, String names, MethodHandle... getters) throws Throwable {
        throw new UnsupportedOperationException("implemented inside the VM");
    }
}
