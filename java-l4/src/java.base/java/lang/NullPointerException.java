package java.lang;

/**
 * The JDK computes "helpful" messages lazily from the bytecode; our VM passes its
 * message, if any, to the String constructor when it creates the exception.
 */
public class NullPointerException extends RuntimeException {
    public NullPointerException() {
        super();
    }

    public NullPointerException(String message) {
        super(message);
    }
}
