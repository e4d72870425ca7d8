package faulty;

import capuchin.vif.*;

/** Lets an exception escape. */
public class Throw extends Faulty {
    void misbehave(Packet p) {
        throw new IllegalStateException("packet " + n + " is one too many");
    }
}
