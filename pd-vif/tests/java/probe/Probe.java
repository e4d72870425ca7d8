package probe;

import capuchin.vif.*;

/**
 * Exercises the Packet API on each packet and records what it saw in the
 * packet itself (bytes 60..): the Rust test reads them back.
 */
public class Probe extends VIFlet {
    final Queue q = new Queue();
    Packet last;

    public void enqueue(Packet p) {
        // 60: getByte of 0xfe (signed), 61..62: getUnsignedShort(12) high/low
        p.setByte(60, p.getByte(59));
        // 64..67: getInt(26) (the IPv4 source address) echoed
        p.setInt(64, p.getInt(26));
        // Decrement the TTL and recompute the IPv4 header checksum.
        p.setByte(22, p.getUnsignedByte(22) - 1);
        p.setShort(24, 0);
        p.setShort(24, p.checksum(14, 20));
        // 68: an access past the end throws IndexOutOfBoundsException
        int caught = 0;
        try {
            p.getShort(p.length() - 1);
        } catch (IndexOutOfBoundsException e) {
            caught |= 1;
        }
        // ... and a packet that has left the VIFlet refuses access
        if (last != null) {
            try {
                last.length();
            } catch (IllegalStateException e) {
                caught |= 2;
            }
            if (!last.isHeld()) caught |= 4;
        }
        p.setByte(68, caught);
        // 70..71: getShort of 0xfffe (signed) as two bytes via slice
        byte[] s = p.slice(12, 14);
        p.setBytes(70, s, 0, 2);
        p.setShort(72, p.length());
        q.enqueue(p);
    }

    public Packet dequeue() {
        Packet p = q.dequeue();
        if (p != null) last = p;
        return p;
    }
}
