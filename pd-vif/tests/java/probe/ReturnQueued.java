package probe;

import capuchin.vif.*;

/** Returns a packet from dequeue while it is still queued. */
public class ReturnQueued extends VIFlet {
    final Queue q = new Queue();
    Packet first;

    public void enqueue(Packet p) {
        if (first == null) first = p;
        q.enqueue(p);
    }

    public Packet dequeue() {
        return first;
    }
}
