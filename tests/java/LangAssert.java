public class LangAssert {
    public static void main(String[] args) {
        assert 1 > 2 : "assertions are disabled by default";
        System.out.println("assert skipped");
        try {
            throw new AssertionError("explicit " + 42);
        } catch (AssertionError e) {
            System.out.println(e.getMessage());
        }
        Object o = new AssertionError(7);
        System.out.println(((Throwable) o).getMessage());
    }
}
