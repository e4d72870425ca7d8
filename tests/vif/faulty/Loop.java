package faulty;

import capuchin.vif.*;

/** Loops forever: the call budget stops it. */
public class Loop extends Faulty {
    int spins;

    void misbehave(Packet p) {
        while (true) spins++;
    }
}
