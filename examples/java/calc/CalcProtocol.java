package calc;

import capuchin.l4.MsgTag;

/**
 * The calculator protocol, as the Rust PDs speak it (demo_pds::calc in
 * examples/demo-pds/src/lib.rs): the label is the operation, arguments and
 * results are typed stream values, 64 KiB arguments travel through the
 * shared region calc_buf. Protocol 0 in capuchin.l4's label convention.
 */
public final class CalcProtocol {
    public static final int PROTOCOL = 0;
    /** i64 -> i64 */
    public static final long NEG = 1;
    /** i64, i64 -> i64 (wrapping) */
    public static final long ADD = 2;
    /** shared-region reference -> u64 sum of the bytes, u32 length */
    public static final long SUM_BYTES = 3;

    /** Reply labels. */
    public static final long OK = 0;
    /** Followed by a string saying what was wrong with the request. */
    public static final long BAD_REQUEST = 1;

    /**
     * A second protocol only the Java server speaks (several servers in
     * one PD): diagnostics.
     */
    public static final int DIAG = 1;
    /** -> i64 native allocations, i64 Java heap bytes allocated, i64 calc calls served. */
    public static final long STATS = MsgTag.label(DIAG, 1);
    /** Throws in the server: the caller gets an MsgTag.EXCEPTION reply. */
    public static final long FAIL = MsgTag.label(DIAG, 2);

    private CalcProtocol() {
    }
}
