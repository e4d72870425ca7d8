package java.lang;

import java.util.Objects;
import java.util.function.Supplier;

/** One thread per PD, so a thread-local is a plain holder. */
public class ThreadLocal<T> {
    private T value;
    private boolean set;

    public ThreadLocal() {
    }

    protected T initialValue() {
        return null;
    }

    public static <S> ThreadLocal<S> withInitial(Supplier<? extends S> supplier) {
        Objects.requireNonNull(supplier);
        return new ThreadLocal<S>() {
            @Override
            protected S initialValue() {
                return supplier.get();
            }
        };
    }

    public T get() {
        if (!set) {
            value = initialValue();
            set = true;
        }
        return value;
    }

    public void set(T value) {
        this.value = value;
        set = true;
    }

    public void remove() {
        value = null;
        set = false;
    }
}
