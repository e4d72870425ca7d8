package faulty;

import capuchin.vif.*;

/** Queues one packet in two Queues: 000's one-reference rule stops it. */
public class Twice extends Faulty {
    final Queue other = new Queue();

    void misbehave(Packet p) {
        other.enqueue(p);
    }
}
