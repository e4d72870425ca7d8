// 000's Figure 2, with only the package and import lines added.
package vif;

import capuchin.vif.*;

public class PriQ_VIFlet extends VIFlet {
    private static final int NCLASS = 4;
    private Queue[] queue;
    private PacketClassifier pc =
        new SimplePacketClassifier();

    PriQ_VIFlet() {
        System.out.println("Initializing...");
        queue = new Queue[NCLASS];
        for (int i = 0; i < NCLASS; i++)
            queue[i] = new Queue();
    }

    public void enqueue(Packet p) {
        int type = pc.classify(p);
        length++;
        queue[type % NCLASS].enqueue(p);
    }

    public Packet dequeue() {
        for (int i = 0; i < NCLASS; i++)
            if (queue[i].isEmpty() != true) {
                length--;
                return queue[i].dequeue();
            }
        return null;
    }
}
