package dev.stepmem.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded hostile variants of a valid file, for the property tests of the parsers that read
 * untrusted bytes: truncations, bit flips, size fields overwritten with extreme values (the header
 * is hit more often, where the sizes are), inserted, deleted and repeated ranges, and plain random
 * bytes. One to three mutations per variant; the same seed gives the same variants.
 */
public final class ByteMutations {
    private static final long[] EXTREMES = {0, 1, -1, 2, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 1L << 30, 1L << 31,
            1L << 32, 1L << 60, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE};

    private ByteMutations() {
    }

    /** {@code count} variants of {@code valid}, each labelled with what was done to it. */
    public static List<Variant> of(byte[] valid, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Variant> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = valid.clone();
            StringBuilder what = new StringBuilder();
            for (int m = 1 + r.nextInt(3); m > 0; m--) {
                b = mutate(b, r, what);
            }
            out.add(new Variant(b, what.toString().strip()));
        }
        return out;
    }

    /** A variant and a description of its mutations (printed when a property fails). */
    public record Variant(byte[] bytes, String mutations) {
    }

    private static byte[] mutate(byte[] b, SplittableRandom r, StringBuilder what) {
        int n = b.length;
        switch (r.nextInt(n == 0 ? 1 : 8)) {
            case 0 -> {
                byte[] random = new byte[r.nextInt(257)];
                r.nextBytes(random);
                what.append(" random ").append(random.length).append(" bytes;");
                return random;
            }
            case 1 -> {
                int at = r.nextInt(n);
                what.append(" truncate at ").append(at).append(';');
                return Arrays.copyOf(b, at);
            }
            case 2 -> {
                for (int k = 1 + r.nextInt(8); k > 0; k--) {
                    int at = r.nextInt(n);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    what.append(" flip a bit at ").append(at).append(';');
                }
                return b;
            }
            case 3, 4 -> {
                int width = r.nextBoolean() ? 4 : 8;
                if (n < width) {
                    return b;
                }
                int limit = r.nextBoolean() ? Math.min(n, 64) : n; // the header, where the sizes are, half the time
                int at = Math.max(0, Math.min(n - width, r.nextInt(limit) & ~(width - 1)));
                long v = EXTREMES[r.nextInt(EXTREMES.length)];
                ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                if (width == 4) {
                    buf.putInt(at, (int) v);
                } else {
                    buf.putLong(at, v);
                }
                what.append(" put ").append(width == 4 ? "i32 " : "i64 ").append(width == 4 ? (int) v : v).append(" at ")
                        .append(at).append(';');
                return b;
            }
            case 5 -> {
                int at = r.nextInt(n + 1);
                byte[] ins = new byte[1 + r.nextInt(16)];
                r.nextBytes(ins);
                what.append(" insert ").append(ins.length).append(" bytes at ").append(at).append(';');
                return concat(Arrays.copyOf(b, at), ins, Arrays.copyOfRange(b, at, n));
            }
            case 6 -> {
                int from = r.nextInt(n), to = Math.min(n, from + 1 + r.nextInt(32));
                what.append(" delete ").append(from).append("..").append(to).append(';');
                return concat(Arrays.copyOf(b, from), Arrays.copyOfRange(b, to, n));
            }
            default -> {
                int from = r.nextInt(n), to = Math.min(n, from + 1 + r.nextInt(64));
                what.append(" repeat ").append(from).append("..").append(to).append(';');
                return concat(Arrays.copyOf(b, to), Arrays.copyOfRange(b, from, n));
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
