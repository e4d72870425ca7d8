package calc;

import capuchin.l4.Env;
import capuchin.l4.IpcStream;
import capuchin.l4.IpcStreamException;
import capuchin.l4.MemoryRegion;
import capuchin.l4.MsgTag;
import capuchin.l4.Server;

/**
 * 003's ExampleSvr in Java: the calculator server, a passive PD. main runs
 * in the PD's init, registers the servers and returns; from then on the
 * PD's protected() entry calls dispatch directly. A malformed request gets
 * a BAD_REQUEST reply, as from the Rust server. The hot path (neg, add)
 * allocates nothing.
 */
public final class CalcServer extends Server {
    private final MemoryRegion bulk;
    private final byte[] chunk = new byte[512];
    long calls;

    CalcServer(MemoryRegion bulk) {
        this.bulk = bulk;
    }

    @Override
    public long dispatch(MsgTag tag, IpcStream s) {
        calls++;
        try {
            switch (tag.opcode()) {
                case (int) CalcProtocol.NEG:
                    s.put(-s.getLong());
                    return CalcProtocol.OK;
                case (int) CalcProtocol.ADD:
                    s.put(s.getLong() + s.getLong());
                    return CalcProtocol.OK;
                case (int) CalcProtocol.SUM_BYTES: {
                    long ref = s.getShared(bulk);
                    int off = IpcStream.sharedOffset(ref);
                    int len = IpcStream.sharedLength(ref);
                    long sum = 0;
                    for (int done = 0; done < len; done += chunk.length) {
                        int n = Math.min(chunk.length, len - done);
                        bulk.get(off + done, chunk, 0, n);
                        for (int i = 0; i < n; i++) {
                            sum += chunk[i] & 0xFF;
                        }
                    }
                    s.putU64(sum).putU32(len);
                    return CalcProtocol.OK;
                }
                default:
                    s.put("unknown operation " + tag.opcode());
                    return CalcProtocol.BAD_REQUEST;
            }
        } catch (IpcStreamException e) {
            s.clear().put(e.getMessage());
            return CalcProtocol.BAD_REQUEST;
        }
    }

    /** Protocol DIAG: what the Java client uses to check the server's hot path. */
    static final class Diagnostics extends Server {
        private final CalcServer calc;

        Diagnostics(CalcServer calc) {
            this.calc = calc;
        }

        @Override
        public long dispatch(MsgTag tag, IpcStream s) {
            if (tag.label() == CalcProtocol.STATS) {
                s.put(Env.nativeAllocations()).put(Env.heapBytesAllocated()).put(calc.calls);
                return CalcProtocol.OK;
            }
            if (tag.label() == CalcProtocol.FAIL) {
                throw new IllegalStateException("FAIL requested by " + Env.env().cap(tag.channel()).peer());
            }
            s.put("unknown diagnostics operation " + tag.opcode());
            return CalcProtocol.BAD_REQUEST;
        }
    }

    public static void main(String[] args) {
        Env env = Env.env();
        CalcServer calc = new CalcServer(env.region("calc_buf"));
        env.serve(CalcProtocol.PROTOCOL, calc);
        env.serve(CalcProtocol.DIAG, new Diagnostics(calc));
        System.out.println(env.name() + ": ready (passive: " + env.isPassive() + ", Java)");
    }
}
