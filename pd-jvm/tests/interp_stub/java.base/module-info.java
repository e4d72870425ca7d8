// A minimal java.base for the interpreter's tests: just enough of the JDK's
// API, with the VM's natives (docs/jvm.md), to compile and run the test
// programs with javac --system=none.
module java.base {
    exports java.lang;
    exports java.lang.annotation;
    exports java.lang.invoke;
    exports java.lang.reflect;
    exports java.lang.runtime;
    exports java.io;
    exports java.util;
    exports java.util.function;
    exports capuchin.internal;
}
