package capuchin.vif;

/** Maps a packet to a class number (a queue index, a priority, ...). */
public interface PacketClassifier {
    int classify(Packet p);
}
