package faulty;

/** A class that is not a VIFlet: `capuchin vif load` must refuse it (tools/tests/network.rs). */
public class NotAVIFlet {
    public NotAVIFlet() {}
}
