package probe;

import capuchin.vif.*;

/** Drops odd-numbered packets by not queuing them, and drops at dequeue
 * time too: every third packet it takes from its Queue is thrown away. */
public class DropOdd extends VIFlet {
    final Queue q = new Queue();
    int n, m;

    public void enqueue(Packet p) {
        if (n++ % 2 == 0) q.enqueue(p);
    }

    public Packet dequeue() {
        Packet p = q.dequeue();
        if (p != null && m++ % 3 == 2) p = q.dequeue();
        return p;
    }
}
