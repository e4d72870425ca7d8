package probe;

import capuchin.vif.*;

/** Queues the third packet in two Queues. */
public class Twice extends VIFlet {
    final Queue a = new Queue();
    final Queue b = new Queue();
    int n;

    public void enqueue(Packet p) {
        a.enqueue(p);
        if (++n == 3) b.enqueue(p);
    }

    public Packet dequeue() {
        return a.dequeue();
    }
}
