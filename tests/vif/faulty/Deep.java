package faulty;

import capuchin.vif.*;

/** Recurses without end, and catches the StackOverflowError it gets, which
 * does not save it: the depth guard stops the call once it unwinds. */
public class Deep extends Faulty {
    int down(int d) {
        return down(d + 1) + 1;
    }

    void misbehave(Packet p) {
        down(0);
    }
}
