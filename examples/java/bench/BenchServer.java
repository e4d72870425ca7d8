package bench;

import capuchin.l4.Env;
import capuchin.l4.IpcStream;
import capuchin.l4.MsgTag;
import capuchin.l4.Server;

/**
 * The IPC benchmark's Java server (`bench_server_java`, a passive PD): the
 * same echo as the Rust bench_server for the benchmark's message, one i64
 * answered with the same label. Protocol 1 reports the PD's resource
 * figures for the soak test (BenchClient.soak).
 */
public final class BenchServer extends Server {
    long calls;

    @Override
    public long dispatch(MsgTag tag, IpcStream s) {
        calls++;
        s.put(s.getLong());
        return tag.label();
    }

    /** Protocol 1: stats (after a collection) for the soak test. */
    static final class Stats extends Server {
        private final BenchServer echo;

        Stats(BenchServer echo) {
            this.echo = echo;
        }

        @Override
        public long dispatch(MsgTag tag, IpcStream s) {
            s.put(Env.liveBytesAfterGc()).put(Env.handleCount()).put(Env.handleSlots())
                    .put(Env.nativeAllocations()).put(Env.heapBytesAllocated()).put(echo.calls);
            return 0;
        }
    }

    public static void main(String[] args) {
        Env env = Env.env();
        BenchServer echo = new BenchServer();
        env.serve(0, echo);
        env.serve(1, new Stats(echo));
        System.out.println(env.name() + ": ready (passive: " + env.isPassive() + ", Java)");
    }
}
