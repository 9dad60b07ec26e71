package dev.stepmem.bench.gate;

/**
 * Fixed work timed in the same JVM as the prefills, between them: a prefill's time divided by
 * it is the gate's machine-independent figure (a slower machine, or a neighbour holding a core,
 * slows both). It must not share code with what the gate checks, or a regression there would
 * slow the calibration as much and cancel out of the ratio.
 */
interface Calibration extends AutoCloseable {
    /** Names the workload and its version; baselines normalized by another one are not comparable. */
    String id();

    /** Runs the work once and returns its wall time in nanoseconds. */
    long timeNanos();

    @Override
    default void close() {
    }
}
