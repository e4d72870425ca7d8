public class LangExit {
    public static void main(String[] args) {
        System.out.println("to stdout");
        System.err.println("to stderr");
        System.out.print("no newline then exit 3");
        System.exit(3);
    }
}
