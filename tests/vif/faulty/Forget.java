package faulty;

import capuchin.vif.*;

/**
 * Forgets packets: every 64th goes into a Queue of its own that is
 * abandoned at once, so only the collector can tell that its buffer must
 * come back. The rest are relayed.
 */
public class Forget extends VIFlet {
    final Queue q = new Queue();
    int n;

    public void enqueue(Packet p) {
        if (++n % 64 == 0) {
            Queue lost = new Queue();
            lost.enqueue(p);
            return;
        }
        q.enqueue(p);
    }

    public Packet dequeue() {
        return q.dequeue();
    }
}
