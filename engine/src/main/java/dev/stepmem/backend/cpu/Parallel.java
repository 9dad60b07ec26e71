package dev.stepmem.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Splits index ranges over the CPU backend's worker threads. One pool for the whole process,
 * sized by -Dstepmem.threads (default: all available processors).
 */
public final class Parallel {
    private static final int THREADS = Integer.getInteger("stepmem.threads",
            Runtime.getRuntime().availableProcessors());
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;

    private Parallel() {
    }

    public static int threads() {
        return THREADS;
    }

    /** A half-open range [from, to) of work handed to one thread. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Runs body(i) for every i in [0, n), spread over the threads. */
    public static void forEach(int n, IntConsumer body) {
        forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                body.accept(i);
            }
        });
    }

    /**
     * Runs body over [0, n) in contiguous blocks of at least minBlock indices; blocks are split so
     * each thread gets a few of them (load balance), and a small n stays on the caller's thread.
     */
    public static void forRange(int n, int minBlock, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int blocks = Math.min(THREADS * 4, Math.max(1, n / Math.max(1, minBlock)));
        if (POOL == null || blocks <= 1 || ForkJoinTask.getPool() == POOL) {
            body.run(0, n);
            return;
        }
        POOL.invoke(new Split(0, n, (n + blocks - 1) / blocks, body));
    }

    private static final class Split extends RecursiveAction {
        private final int from, to, grain;
        private final RangeBody body;

        Split(int from, int to, int grain, RangeBody body) {
            this.from = from;
            this.to = to;
            this.grain = grain;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = from + (to - from) / 2;
            invokeAll(new Split(from, mid, grain, body), new Split(mid, to, grain, body));
        }
    }
}
