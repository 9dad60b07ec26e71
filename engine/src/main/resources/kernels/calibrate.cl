/*
 * The TTFT regression gate's calibration on a GPU (benchmarks: dev.stepmem.bench.gate): fixed work
 * timed between the gate's prefills, which are divided by it. No op uses it and it is never tuned,
 * so its time measures the device, not the code the gate checks. Changing it changes every GPU
 * baseline's normalized figures: bump DeviceCalibration.ID and refresh them.
 */

/* y[i] = a chain of `rounds` multiply-adds seeded by x[i] and a strided read of x (compute and memory). */
KERNEL void calibrate(GLOBAL const float *x, GLOBAL float *y, int n, int rounds) {
    int i = GID(0);
    if (i < n) {
        float a = x[i];
        float b = x[(int) (((uint) i * 40503u) % (uint) n)];
        for (int r = 0; r < rounds; r++) {
            a = a * 0.999f + b;
            b = b * 0.998f - a * 0.001f;
        }
        y[i] = a + b;
    }
}
