package dev.stepmem.bench.gate;

import dev.stepmem.backend.gpu.DeviceBuffer;
import dev.stepmem.backend.gpu.DeviceKernel;
import dev.stepmem.backend.gpu.DeviceRuntime;
import dev.stepmem.backend.gpu.GpuBackend;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The calibration on a GPU backend: launches of the frozen {@code calibrate} kernel
 * (kernels/calibrate.cl: a multiply-add chain per element and a strided read, used by no op), on
 * the same device and queue as the prefills. A launch is fixed work; how many launches one
 * calibration makes is chosen once per JVM so it lasts about {@link #TARGET_NANOS} (a fast GPU
 * would finish one launch in microseconds, too short to time), and the time is reported per
 * {@link #NOMINAL_LAUNCHES} launches, so the figure does not depend on that choice.
 */
final class DeviceCalibration implements Calibration {
    static final String ID = "device-calibrate-v1";
    private static final int N = 1 << 18, ROUNDS = 64, LOCAL = 64, NOMINAL_LAUNCHES = 16;
    private static final long TARGET_NANOS = 50_000_000L;

    private final DeviceRuntime runtime;
    private final DeviceKernel kernel;
    private final DeviceBuffer x, y;
    private final int launches;

    DeviceCalibration(GpuBackend backend) {
        runtime = backend.runtime();
        kernel = runtime.kernel("calibrate", "calibrate");
        x = runtime.allocate(4L * N);
        y = runtime.allocate(4L * N);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(4L * N);
            for (int i = 0; i < N; i++) {
                host.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 1000) / 1000f);
            }
            runtime.write(x, 0, host);
        }
        launch(2); // compile and warm
        long one = Math.max(1, run(4) / 4);
        launches = (int) Math.max(1, Math.min(1 << 16, TARGET_NANOS / one));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public long timeNanos() {
        return run(launches) * NOMINAL_LAUNCHES / launches;
    }

    private long run(int count) {
        runtime.finish();
        long start = System.nanoTime();
        launch(count);
        runtime.finish();
        return System.nanoTime() - start;
    }

    private void launch(int count) {
        for (int i = 0; i < count; i++) {
            runtime.launch(kernel, new int[] {N}, new int[] {LOCAL}, x, y, N, ROUNDS);
        }
    }

    @Override
    public void close() {
        runtime.free(x);
        runtime.free(y);
    }
}
