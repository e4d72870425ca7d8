package capuchin.vif;

/**
 * The VIF domain's entry points into a VIFlet: one call into Java per batch
 * of packets rather than per packet (the entry, not the handler, is what
 * costs on this path). The domain checks the outcome after each batch.
 */
final class Batch {
    private Batch() {}

    /** The index arrays the domain passes (created once). */
    static int[] ints(int n) {
        return new int[n];
    }

    /** Calls {@code v.enqueue} for the packets of buffers {@code idx[0..n)}. */
    static void enqueueAll(VIFlet v, Packet[] wrappers, int[] idx, int n) {
        for (int i = 0; i < n; i++) v.enqueue(wrappers[idx[i]]);
    }

    /** Calls {@code v.dequeue} until it returns null or {@code max} packets;
     * their buffer numbers go to {@code out}. Returns how many. */
    static int dequeueAll(VIFlet v, int[] out, int max) {
        int n = 0;
        while (n < max) {
            Packet p = v.dequeue();
            if (p == null) break;
            out[n++] = p.index;
        }
        return n;
    }
}
