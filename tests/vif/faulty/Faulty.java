package faulty;

import capuchin.vif.*;

/**
 * Misbehaving VIFlets for the protection tests (tools/tests/network.rs):
 * each relays its first 1000 packets, then misbehaves once.
 */
abstract class Faulty extends VIFlet {
    final Queue q = new Queue();
    int n;

    public void enqueue(Packet p) {
        if (++n == 1000) misbehave(p);
        q.enqueue(p);
    }

    public Packet dequeue() {
        return q.dequeue();
    }

    abstract void misbehave(Packet p);
}
