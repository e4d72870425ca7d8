package java.lang;

/** Base of records; equals, hashCode and toString come from ObjectMethods (inside the VM). */
public abstract class Record {
    protected Record() {
    }

    @Override
    public abstract boolean equals(Object obj);

    @Override
    public abstract int hashCode();

    @Override
    public abstract String toString();
}
