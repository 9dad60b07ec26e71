package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateRunTest {
    /** The shape of JMH's JSON results (trimmed): one entry per configuration, secondary metrics per fork. */
    private static final String JSON = """
            [{"benchmark": "dev.stepmem.bench.gate.TtftGateBenchmark.pair", "mode": "ss",
              "params": {"config": "fm/snapkv/flash/L2048/c128/m128", "device": "cpu", "reference": "r.jar", "slowdown": "0.0"},
              "primaryMetric": {"score": 1200.0, "rawData": [[1190.0, 1210.0], [1205.0, 1195.0]]},
              "secondaryMetrics": {
                "referenceMs": {"score": 600.0, "rawData": [[600.0, 610.0], [590.0, 600.0]]},
                "candidateMs": {"score": 601.0, "rawData": [[590.0, 600.0], [615.0, 595.0]]},
                "slowedMs": {"score": NaN, "rawData": [[NaN, NaN], [NaN, NaN]]}}},
             {"benchmark": "dev.stepmem.bench.gate.TtftGateBenchmark.pair", "mode": "ss",
              "params": {"config": "imdc/knorm/flash/L2048/c128/m128", "device": "cpu", "reference": "r.jar", "slowdown": "0.0"},
              "primaryMetric": {"score": 600.0, "rawData": [[600.0]]},
              "secondaryMetrics": {
                "referenceMs": {"score": NaN, "rawData": [[NaN]]},
                "candidateMs": {"score": 600.0, "rawData": [[600.0]]},
                "slowedMs": {"score": NaN, "rawData": [[NaN]]}}}]
            """;

    @Test
    void readsEveryForksInvocationsPerConfiguration() throws IOException {
        Map<String, List<double[]>> t = GateRun.read(JSON);
        assertEquals(List.of("fm/snapkv/flash/L2048/c128/m128", "imdc/knorm/flash/L2048/c128/m128"), List.copyOf(t.keySet()));
        List<double[]> a = t.get("fm/snapkv/flash/L2048/c128/m128");
        assertEquals(4, a.size());
        assertArrayEquals(new double[] {590.0, 615.0, Double.NaN}, a.get(2));
        assertTrue(Double.isNaN(t.get("imdc/knorm/flash/L2048/c128/m128").getFirst()[0]));
    }

    @Test
    void theCommandPassesTheConfigurationsReferenceAndDevice() {
        GatePlan plan = new GatePlan("opencl:pocl", 2, 3, 5, 1);
        List<String> cmd = GateRun.command(Path.of("cand.jar"), Path.of("ref.jar"), plan, 0.25, Path.of("o.json"));
        String line = String.join(" ", cmd);
        assertTrue(line.contains("-jar cand.jar " + GateRun.BENCHMARK + " -f 2 -wi 3 -i 5 -rf json -rff o.json"), line);
        assertTrue(line.contains("-p config=" + String.join(",", plan.configs())), line);
        assertTrue(line.contains("-p reference=ref.jar -p device=opencl:pocl -p slowdown=0.25"), line);
        assertEquals(8, plan.configs().size());
    }
}
