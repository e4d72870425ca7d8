package vif;

import capuchin.vif.*;

/**
 * Keeps UDP datagrams to port 53 (Wireshark: {@code udp.dstport == 53}) and
 * drops everything else by not queuing it. It parses the headers itself with
 * the Packet accessors: up to two VLAN tags, IPv4 (the first fragment
 * carries the ports) and IPv6 with its extension headers.
 */
public class DnsFilterVIFlet extends VIFlet {
    private static final int UDP = 17;
    private final Queue kept = new Queue();
    private int dropped;

    public void enqueue(Packet p) {
        if (udpDestinationPort(p) == 53) {
            kept.enqueue(p);
        } else {
            dropped++; // not queued: the VIF returns the buffer
        }
    }

    public Packet dequeue() {
        return kept.dequeue();
    }

    /** The UDP destination port, or -1 if p is not the first part of a UDP datagram. */
    static int udpDestinationPort(Packet p) {
        int len = p.length();
        if (len < 14) return -1;
        int at = 12;
        int type = p.getUnsignedShort(at);
        for (int tags = 0; tags < 2 && (type == 0x8100 || type == 0x88a8); tags++) {
            if (len < at + 6) return -1;
            at += 4;
            type = p.getUnsignedShort(at);
        }
        at += 2;
        int proto;
        if (type == 0x0800) {
            if (len < at + 20) return -1;
            int vihl = p.getUnsignedByte(at);
            int ihl = (vihl & 15) * 4;
            if (vihl >> 4 != 4 || ihl < 20) return -1;
            if ((p.getUnsignedShort(at + 6) & 0x1fff) != 0) return -1;
            proto = p.getUnsignedByte(at + 9);
            at += ihl;
        } else if (type == 0x86dd) {
            if (len < at + 40 || p.getUnsignedByte(at) >> 4 != 6) return -1;
            proto = p.getUnsignedByte(at + 6);
            at += 40;
            for (int n = 0; n < 8; n++) {
                if (proto == 0 || proto == 43 || proto == 60) {
                    if (len < at + 2) return -1;
                    int next = p.getUnsignedByte(at);
                    at += (p.getUnsignedByte(at + 1) + 1) * 8;
                    proto = next;
                } else if (proto == 44) {
                    if (len < at + 4) return -1;
                    int next = p.getUnsignedByte(at);
                    if ((p.getUnsignedShort(at + 2) >> 3) != 0) return -1;
                    at += 8;
                    proto = next;
                } else {
                    break;
                }
            }
        } else {
            return -1;
        }
        if (proto != UDP || len < at + 4) return -1;
        return p.getUnsignedShort(at + 2);
    }
}
