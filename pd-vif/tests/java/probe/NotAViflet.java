package probe;

public class NotAViflet {
}
