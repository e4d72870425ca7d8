package java.lang;

public final class StackTraceElement {
    private final String declaringClass;
    private final String methodName;
    private final String fileName;
    private final int lineNumber;
    public StackTraceElement(String declaringClass, String methodName, String fileName, int lineNumber) {
        this.declaringClass = declaringClass;
        this.methodName = methodName;
        this.fileName = fileName;
        this.lineNumber = lineNumber;
    }
    public String getClassName() { return declaringClass; }
    public String getMethodName() { return methodName; }
    public String getFileName() { return fileName; }
    public int getLineNumber() { return lineNumber; }
    public boolean equals(Object o) {
        if (!(o instanceof StackTraceElement)) return false;
        StackTraceElement e = (StackTraceElement) o;
        return declaringClass.equals(e.declaringClass) && methodName.equals(e.methodName)
            && java.util.Objects.equals(fileName, e.fileName) && lineNumber == e.lineNumber;
    }
    public String toString() {
        StringBuilder sb = new StringBuilder(declaringClass).append('.').append(methodName).append('(');
        if (lineNumber == -2) sb.append("Native Method");
        else if (fileName == null) sb.append("Unknown Source");
        else if (lineNumber >= 0) sb.append(fileName).append(':').append(lineNumber);
        else sb.append(fileName);
        return sb.append(')').toString();
    }
}
