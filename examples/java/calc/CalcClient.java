package calc;

import capuchin.l4.Cap;
import capuchin.l4.Env;
import capuchin.l4.IpcStream;
import capuchin.l4.MemoryRegion;
import capuchin.l4.MsgTag;
import capuchin.l4.NoSuchCapException;

import java.util.Arrays;

/**
 * 003's ExampleCl in Java: calls the calculator server named by args[0]
 * (Rust or Java: the protocol and wire format are the same) from main,
 * which runs in the PD's init. With args[1] = "java-peer" it also uses the
 * Java server's diagnostics protocol: an exception in the server comes back
 * as an error reply, and the server's own allocation counters show that the
 * call path allocates nothing.
 */
public final class CalcClient {
    private static String me;

    private static void say(String s) {
        System.out.println(me + ": " + s);
    }

    public static void main(String[] args) {
        Env env = Env.env();
        me = env.name();
        Cap server = env.cap(args[0]);
        boolean javaPeer = args.length > 1 && args[1].equals("java-peer");
        IpcStream s = new IpcStream();

        server.call(s.put(42L), CalcProtocol.NEG);
        say("neg(42) = " + s.getLong());
        server.call(s.put(3L).put(4L), CalcProtocol.ADD);
        say("add(3, 4) = " + s.getLong());
        server.call(s.put(Long.MAX_VALUE).put(1L), CalcProtocol.ADD);
        say("add(Long.MAX_VALUE, 1) = " + s.getLong() + " (wraps)");

        // 64 KiB through the shared region, in its second half (the Rust
        // client sharing calc_buf uses the first).
        MemoryRegion buf = env.region("calc_buf");
        byte[] data = new byte[65536];
        long expected = 0;
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
            expected += i % 251;
        }
        server.call(s.putShared(buf, 65536, data), CalcProtocol.SUM_BYTES);
        long sum = s.getU64();
        int len = s.getU32();
        say("sum_bytes(" + len + " bytes via calc_buf) = " + sum + " (expected " + expected + ")");

        // A request of the wrong type is answered with an error, not a crash.
        MsgTag t = server.call(s.put("forty-two"), CalcProtocol.NEG);
        say("neg(\"forty-two\") -> error reply (label " + t.label() + "): " + s.getString());

        try {
            env.cap("no_such_pd");
        } catch (NoSuchCapException e) {
            say("Env.cap(\"no_such_pd\") -> " + e.getMessage());
        }

        if (javaPeer) {
            t = server.call(s, CalcProtocol.FAIL);
            say("diag FAIL -> " + (t.isException() ? "exception reply: " : "reply " + t + ": ") + s.getString());
            server.call(s.put(7L), CalcProtocol.NEG);
            say("the server still serves: neg(7) = " + s.getLong());
        }

        hotPath(server, s, javaPeer);
        say("done");
    }

    /** 1000 add calls after a warm-up: allocations on both sides, and the time per call. */
    private static void hotPath(Cap server, IpcStream s, boolean javaPeer) {
        long[] times = new long[1000];
        // Warm-up: the same code as measured (first executions resolve
        // constant-pool entries and fill caches, which allocates), long
        // enough that the JIT (default threshold 1000 entries plus back
        // edges) has compiled the hot methods on both sides before the
        // measured calls: compiling allocates on the native heap.
        for (int round = 0; round < 3; round++) {
            addCalls(server, s, times, times.length);
        }
        long[] before = javaPeer ? serverStats(server, s) : null;
        if (javaPeer) {
            before = serverStats(server, s);
        }
        long heapBefore = Env.heapBytesAllocated();
        long nativeBefore = Env.nativeAllocations();
        heapBefore = Env.heapBytesAllocated();
        nativeBefore = Env.nativeAllocations();
        boolean right = addCalls(server, s, times, times.length);
        long nativeAllocs = Env.nativeAllocations() - nativeBefore;
        long heapBytes = Env.heapBytesAllocated() - heapBefore;
        String serverSide = "";
        if (javaPeer) {
            long[] after = serverStats(server, s);
            serverSide = "; server: " + (after[0] - before[0]) + " native allocations, "
                    + (after[1] - before[1]) + " heap bytes";
        }
        say("hot path, 1000 add calls after warm-up" + (right ? "" : " (WRONG RESULTS)") + ": client: "
                + nativeAllocs + " native allocations, " + heapBytes + " heap bytes" + serverSide);
        long total = 0;
        for (long x : times) {
            total += x;
        }
        Arrays.sort(times);
        say("1000 add calls: median " + times[500] + " ns, mean " + total / times.length + " ns per call");
    }

    /** n calls of add(i, 1), each timed into times[i % times.length]; true if all answers are right. */
    private static boolean addCalls(Cap server, IpcStream s, long[] times, int n) {
        boolean right = true;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            server.call(s.put((long) i).put(1L), CalcProtocol.ADD);
            long r = s.getLong();
            times[i % times.length] = System.nanoTime() - t0;
            right &= r == i + 1;
        }
        return right;
    }

    private static long[] serverStats(Cap server, IpcStream s) {
        server.call(s, CalcProtocol.STATS);
        return new long[] {s.getLong(), s.getLong(), s.getLong()};
    }
}
