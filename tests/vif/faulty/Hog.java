package faulty;

import capuchin.vif.*;

/** Allocates until the heap quota is exhausted. */
public class Hog extends Faulty {
    Object[] chain;

    void misbehave(Packet p) {
        while (true) {
            Object[] next = new Object[4096];
            next[0] = chain;
            chain = next;
        }
    }
}
