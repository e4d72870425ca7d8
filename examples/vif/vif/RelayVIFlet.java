package vif;

import capuchin.vif.*;

/** Forwards every packet, first in, first out (000's "simple" VIFlet). */
public class RelayVIFlet extends VIFlet {
    private final Queue q = new Queue();

    public void enqueue(Packet p) {
        q.enqueue(p);
    }

    public Packet dequeue() {
        return q.dequeue();
    }
}
