package dev.stepmem.cli;

import dev.stepmem.calibrate.HostInfo;
import dev.stepmem.exit.CannotRunHereException;

/**
 * Checks a command's big allocations against this machine before making them, so that a size
 * that cannot fit is one line (exit 3) instead of an OutOfMemoryError after minutes of work.
 * Sizes are computed with exact arithmetic: a product that overflows a long cannot fit either.
 */
final class HostMemory {
    private HostMemory() {
    }

    /** Tensors live in native memory (the cpu backend): they must fit in what the OS has available. */
    static void requireNative(String what, long bytes) {
        long available = HostInfo.read().memAvailable();
        if (bytes < 0 || bytes > available) {
            throw new CannotRunHereException(what + " needs " + describe(bytes) + " of memory; this machine has "
                    + ByteSize.format(available) + " available");
        }
    }

    /** Java arrays (token ids) must fit in the JVM's heap. */
    static void requireHeap(String what, long bytes) {
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes < 0 || bytes > heap) {
            throw new CannotRunHereException(what + " needs " + describe(bytes) + " of Java heap; this JVM has "
                    + ByteSize.format(heap) + " (-Xmx in STEPMEM_JAVA_OPTS)");
        }
    }

    /** a * b * ..., or -1 when it overflows a long (which fits nowhere). */
    static long product(long... factors) {
        long p = 1;
        try {
            for (long f : factors) {
                p = Math.multiplyExact(p, f);
            }
        } catch (ArithmeticException e) {
            return -1;
        }
        return p;
    }

    /** a + b + ..., or -1 when a term is -1 (overflowed) or the sum overflows. */
    static long sum(long... terms) {
        long s = 0;
        try {
            for (long t : terms) {
                if (t < 0) {
                    return -1;
                }
                s = Math.addExact(s, t);
            }
        } catch (ArithmeticException e) {
            return -1;
        }
        return s;
    }

    private static String describe(long bytes) {
        return bytes < 0 ? "more than 8 EiB" : ByteSize.format(bytes);
    }
}
