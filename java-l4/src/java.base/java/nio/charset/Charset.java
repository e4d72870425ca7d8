package java.nio.charset;

import capuchin.internal.Charsets;

/** The charsets of capuchin.internal.Charsets; no encoders or decoders as objects. */
public abstract class Charset implements Comparable<Charset> {
    private final String name;
    final int id;

    Charset(int id) {
        this.id = id;
        this.name = Charsets.canonicalName(id);
    }

    public static Charset forName(String charsetName) {
        if (charsetName == null) {
            throw new IllegalArgumentException("Null charset name");
        }
        int id = Charsets.lookup(charsetName);
        if (id < 0) {
            throw new UnsupportedCharsetException(charsetName);
        }
        return StandardCharsets.byId(id);
    }

    public static boolean isSupported(String charsetName) {
        return Charsets.lookup(charsetName) >= 0;
    }

    public static Charset defaultCharset() {
        return StandardCharsets.UTF_8;
    }

    public final String name() {
        return name;
    }

    public String displayName() {
        return name;
    }

    public final int compareTo(Charset that) {
        return name().compareToIgnoreCase(that.name());
    }

    public final int hashCode() {
        return name().hashCode();
    }

    public final boolean equals(Object ob) {
        return this == ob || (ob instanceof Charset && name.equals(((Charset) ob).name()));
    }

    public final String toString() {
        return name();
    }

    /** Not JDK API: the id capuchin.internal.Charsets uses for this charset. */
    static final class Impl extends Charset {
        Impl(int id) {
            super(id);
        }
    }
}
