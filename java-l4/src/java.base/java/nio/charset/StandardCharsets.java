package java.nio.charset;

import capuchin.internal.Charsets;

public final class StandardCharsets {
    private StandardCharsets() {
    }

    public static final Charset US_ASCII = new Charset.Impl(Charsets.US_ASCII);
    public static final Charset ISO_8859_1 = new Charset.Impl(Charsets.ISO_8859_1);
    public static final Charset UTF_8 = new Charset.Impl(Charsets.UTF_8);
    public static final Charset UTF_16BE = new Charset.Impl(Charsets.UTF_16BE);
    public static final Charset UTF_16LE = new Charset.Impl(Charsets.UTF_16LE);
    public static final Charset UTF_16 = new Charset.Impl(Charsets.UTF_16);

    static Charset byId(int id) {
        switch (id) {
            case Charsets.UTF_8: return UTF_8;
            case Charsets.ISO_8859_1: return ISO_8859_1;
            case Charsets.US_ASCII: return US_ASCII;
            case Charsets.UTF_16BE: return UTF_16BE;
            case Charsets.UTF_16LE: return UTF_16LE;
            default: return UTF_16;
        }
    }
}
