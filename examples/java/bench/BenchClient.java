package bench;

import capuchin.l4.Cap;
import capuchin.l4.Env;
import capuchin.l4.IpcStream;
import capuchin.l4.MsgTag;

import java.util.Arrays;

/**
 * The IPC benchmark's Java client (`bench_client_java` against the Rust
 * bench_server, `bench_client_j2j` against the Java bench_server_java): the
 * Rust bench client's protocol, an echo of one i64 with label 1, timed
 * inside the client with System.nanoTime into a preallocated long[] (the
 * loop allocates nothing), then the same `BENCH {json}` line the Rust
 * client prints, which `capuchin bench ipc` parses.
 *
 * <p>args: the server's PD name, then optionally {@code soak N}: N echo calls
 * (against a Java server) with a checkpoint every N/100 calls reporting the
 * live heap after a collection and the handle tables of both PDs as a
 * {@code SOAK {json}} line; from the checkpoint at min(1,000,000, N/10)
 * calls on they must not change, and the calls between checkpoints must
 * allocate nothing on the client's Java or native heap (it throws
 * otherwise, which faults the PD). On the hosted platform
 * {@code capuchin bench ipc --soak N} passes these arguments.
 */
public final class BenchClient {
    static final long ECHO = 1;
    static final long STATS = 1L << 32;
    static final int WARMUP = 2000;
    static final int CALLS = 50000;

    public static void main(String[] args) {
        Env env = Env.env();
        Cap server = env.cap(args[0]);
        IpcStream s = new IpcStream();
        if (args.length >= 3 && args[1].equals("soak")) {
            soak(env, server, s, Long.parseLong(args[2]));
            return;
        }
        long[] times = new long[CALLS];
        // Warm-up: the same code as measured (first executions resolve
        // constant-pool entries, which allocates).
        if (!timedCalls(server, s, times, WARMUP)) {
            throw new IllegalStateException("wrong echo during warm-up");
        }
        if (!timedCalls(server, s, times, CALLS)) {
            throw new IllegalStateException("wrong echo");
        }
        long total = 0;
        for (long t : times) {
            total += t;
        }
        Arrays.sort(times);
        System.out.println("BENCH {\"pd\":\"" + env.name() + "\",\"kind\":\"ppc\",\"samples\":" + CALLS + ",\"min_ns\":" + times[0]
                + ",\"median_ns\":" + times[CALLS / 2] + ",\"p99_ns\":" + times[CALLS * 99 / 100]
                + ",\"mean_ns\":" + total / CALLS + "}");
    }

    /** n echo calls, each timed into times[i % times.length]; false if an answer was wrong. */
    static boolean timedCalls(Cap server, IpcStream s, long[] times, int n) {
        boolean right = true;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            MsgTag t = server.call(s.put((long) i), ECHO);
            long r = s.getLong();
            times[i % times.length] = System.nanoTime() - t0;
            right &= r == i && !t.hasError();
        }
        return right;
    }

    /** n untimed echo calls of start, start + 1, ...; false if an answer was wrong. */
    static boolean calls(Cap server, IpcStream s, long start, long n) {
        boolean right = true;
        for (long i = 0; i < n; i++) {
            MsgTag t = server.call(s.put(start + i), ECHO);
            right &= s.getLong() == start + i && !t.hasError();
        }
        return right;
    }

    static void soak(Env env, Cap server, IpcStream s, long n) {
        long interval = Math.max(1000, n / 100);
        long stableFrom = Math.min(1000000, n / 10);
        long[] base = new long[6];
        long[] now = new long[6];
        boolean haveBase = false;
        long t0 = System.currentTimeMillis();
        long done = 0;
        // Warm-up, long enough for the JIT to compile the hot methods on
        // both sides first (compiling allocates; see CalcClient.hotPath).
        for (int round = 0; round < 3; round++) {
            calls(server, s, 0, 1000);
        }
        while (done < n) {
            long k = Math.min(interval, n - done);
            long heapBefore = Env.heapBytesAllocated();
            long nativeBefore = Env.nativeAllocations();
            boolean right = calls(server, s, done, k);
            long nativeAllocs = Env.nativeAllocations() - nativeBefore;
            long heapBytes = Env.heapBytesAllocated() - heapBefore;
            done += k;
            if (!right) {
                throw new IllegalStateException("soak: wrong echo before call " + done);
            }
            server.call(s, STATS);
            now[3] = s.getLong();
            now[4] = s.getInt();
            now[5] = s.getInt();
            long serverNative = s.getLong();
            s.getLong();
            long serverCalls = s.getLong();
            now[0] = Env.liveBytesAfterGc();
            now[1] = Env.handleCount();
            now[2] = Env.handleSlots();
            System.out.println("SOAK {\"calls\":" + done + ",\"elapsed_ms\":" + (System.currentTimeMillis() - t0)
                    + ",\"client_live_bytes\":" + now[0] + ",\"client_handles\":" + now[1]
                    + ",\"client_handle_slots\":" + now[2] + ",\"client_loop_heap_bytes\":" + heapBytes
                    + ",\"client_loop_native_allocations\":" + nativeAllocs
                    + ",\"server_live_bytes\":" + now[3] + ",\"server_handles\":" + now[4]
                    + ",\"server_handle_slots\":" + now[5] + ",\"server_native_allocations\":" + serverNative
                    + ",\"server_calls\":" + serverCalls + "}");
            if (heapBytes != 0 || nativeAllocs != 0) {
                throw new IllegalStateException("soak: " + k + " calls allocated " + heapBytes + " heap bytes and "
                        + nativeAllocs + " native blocks in the client");
            }
            if (!haveBase && done >= stableFrom) {
                System.arraycopy(now, 0, base, 0, now.length);
                haveBase = true;
            } else if (haveBase) {
                for (int i = 0; i < now.length; i++) {
                    if (now[i] != base[i]) {
                        throw new IllegalStateException("soak: figure " + i + " changed from " + base[i] + " to "
                                + now[i] + " after " + done + " calls");
                    }
                }
            }
        }
        System.out.println(env.name() + ": soak done, " + done + " calls, stable from " + stableFrom);
    }
}
