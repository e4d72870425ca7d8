package capuchin.vif;

/**
 * The classifier 000's PriQ_VIFlet uses: by transport protocol, behind up
 * to two VLAN tags and IPv6 extension headers.
 * {@link #ICMP} (ICMP and ICMPv6) 0, {@link #UDP} 1, {@link #TCP} 2, {@link #OTHER} 3
 * (non-IP frames included): the numbering of the Rust {@code priq} processor.
 * The header walk is native (000 made such routine work native).
 */
public class SimplePacketClassifier implements PacketClassifier {
    public static final int ICMP = 0;
    public static final int UDP = 1;
    public static final int TCP = 2;
    public static final int OTHER = 3;

    @Override
    public native int classify(Packet p);
}
