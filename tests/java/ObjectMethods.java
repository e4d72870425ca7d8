public class ObjectMethods {
    static class Plain {}
    static class Named { public String toString() { return "Named!"; } }
    public static void main(String[] args) {
        Object p = new Plain();
        System.out.println(p.equals(p) + " " + p.equals(new Plain()) + " " + (p.hashCode() == p.hashCode()) + " " + p.getClass().getName());
        System.out.println(new Named() + " " + String.valueOf(new Named()) + " " + new Object().getClass().getName());
        String s = p.toString();
        System.out.println(s.startsWith("ObjectMethods$Plain@") + " " + (s.substring(s.indexOf('@') + 1).equals(Integer.toHexString(p.hashCode()))));
        int[] arr = {1};
        System.out.println(arr.getClass().getName() + " " + arr.getClass().isArray() + " " + String.class.getName() + " " + int.class.getName() + " " + Integer.TYPE.getName());
        System.out.println(Object.class.isInstance("x") + " " + String.class.isInstance(1) + " " + Number.class.isInstance(1.5) + " " + Integer.class.getSuperclass().getName() + " " + Runnable.class.isInterface());
        Class<?> k = "str".getClass();
        System.out.println(k == String.class);
        System.out.println(java.util.List.class.getName() + " " + int[][].class.getName() + " " + String[].class.getComponentType().getName());
    }
}
