// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

public class IllegalFormatWidthException extends IllegalFormatException {
    private final int width;

    public IllegalFormatWidthException(int w) {
        this.width = w;
    }

    public int getWidth() {
        return width;
    }

    public String getMessage() {
        return Integer.toString(width);
    }
}
