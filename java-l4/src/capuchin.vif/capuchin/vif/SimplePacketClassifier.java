package capuchin.vif;

/**
 * The classifier 000's PriQ_VIFlet uses: by transport protocol, behind up
 * to two VLAN tags and IPv6 extension headers.
 * {@link #ICMP} (ICMP and ICMPv6) 0, {@link #UDP} 1, {@link #TCP} 2, {@link #OTHER} 3
 * (non-IP frames and truncated headers included): the numbering, and the
 * header walk, of the Rust {@code priq} processor (pd-vif's tests compare
 * the two). Plain Java over the packet accessors, which compiled code
 * runs inline.
 */
public class SimplePacketClassifier implements PacketClassifier {
    public static final int ICMP = 0;
    public static final int UDP = 1;
    public static final int TCP = 2;
    public static final int OTHER = 3;

    @Override
    public int classify(Packet p) {
        // Plain IPv4 first, small and loop-free so that compiled code
        // inlines it into the VIFlet; every other frame in classifyHeaders.
        int len = p.length();
        if (len >= 34 && p.getUnsignedShort(12) == 0x0800) {
            int v = p.getUnsignedByte(14);
            if ((v >> 4) == 4 && (v & 15) >= 5) return byProtocol(p.getUnsignedByte(23));
        }
        return classifyHeaders(p, len);
    }

    private static int byProtocol(int proto) {
        if (proto == 17) return UDP;
        if (proto == 6) return TCP;
        if (proto == 1 || proto == 58) return ICMP;
        return OTHER;
    }

    private static int classifyHeaders(Packet p, int len) {
        if (len < 14) return OTHER;
        int type = p.getUnsignedShort(12);
        int at = 14;
        for (int k = 0; k < 2 && (type == 0x8100 || type == 0x88a8); k++) {
            if (at + 4 > len) return OTHER;
            type = p.getUnsignedShort(at + 2);
            at += 4;
        }
        int proto;
        if (type == 0x0800) {
            if (at + 20 > len) return OTHER;
            int v = p.getUnsignedByte(at);
            if ((v >> 4) != 4 || (v & 15) < 5) return OTHER;
            proto = p.getUnsignedByte(at + 9);
        } else if (type == 0x86dd) {
            if (at + 40 > len || (p.getUnsignedByte(at) >> 4) != 6) return OTHER;
            proto = p.getUnsignedByte(at + 6);
            int off = at + 40;
            // Hop-by-hop, routing, fragment and destination options.
            for (int k = 0; k < 8; k++) {
                if (proto == 0 || proto == 43 || proto == 60) {
                    if (off + 2 > len) return OTHER;
                    int next = p.getUnsignedByte(off);
                    off += (p.getUnsignedByte(off + 1) + 1) * 8;
                    proto = next;
                } else if (proto == 44) {
                    if (off + 4 > len) return OTHER;
                    proto = p.getUnsignedByte(off);
                    int fragmentOffset = p.getUnsignedShort(off + 2) >> 3;
                    off += 8;
                    if (fragmentOffset != 0) break;
                } else {
                    break;
                }
            }
        } else {
            return OTHER;
        }
        return byProtocol(proto);
    }
}
