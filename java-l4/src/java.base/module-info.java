/**
 * Capuchin's class library, packaged as the java.base module so that programs can be
 * compiled against exactly what our VM provides (javac --system=none --module-path ...).
 * capuchin.internal holds the VM-facing natives and shared helpers; it is not exported.
 */
module java.base {
    exports java.io;
    exports java.lang;
    exports java.lang.annotation;
    exports java.lang.invoke;
    exports java.lang.reflect;
    exports java.lang.runtime;
    exports java.nio.charset;
    exports java.util;
    exports java.util.concurrent.atomic;
    exports java.util.function;
}
