// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

public interface Formattable {
    void formatTo(Formatter formatter, int flags, int width, int precision);
}
