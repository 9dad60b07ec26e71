package dev.stepmem.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.bench.sweep.SweepPoint.Kind;
import dev.stepmem.bench.sweep.Sweeps.Scale;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.Rope;
import dev.stepmem.model.RopeRule;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.results.ResultRow;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The named sweeps: every point is a valid configuration, and the rows say what ran where. */
class SweepsTest {
    static ResultRow template(SweepPoint p) {
        return p.template("abc123", "test host", "2026-11-23T00:00:00Z", "");
    }

    @Test
    void everyPointOfEverySweepPlansAtBothScales() {
        for (Scale scale : Scale.values()) {
            for (String name : Sweeps.NAMES) {
                List<SweepPoint> points = Sweeps.points(name, scale);
                assertTrue(!points.isEmpty(), name + " " + scale);
                for (SweepPoint p : points) {
                    int layers = p.model().equals("stories15M") ? ModelConfig.stories15M().nLayers()
                            : ModelConfig.preset(p.model()).nLayers();
                    p.settings().plan(layers); // throws on a bad combination (e.g. IMDC with a per-layer function)
                }
                assertEquals(points.size(), points.stream().map(p -> template(p).runKey()).distinct().count(),
                        name + " " + scale + ": two points with one run key would be skipped on --resume");
            }
        }
    }

    /**
     * Under the reference's RoPE rule the quick stories15M perplexity and probe points use plain
     * RoPE in every forward where the paper's compressed runs did (their largest forward, 4 sinks +
     * m_max + c, within the 256 trained positions), and NTK where its full-attention baselines did.
     */
    @Test
    void quickPerplexityPointsUseRopeAsThePapersRunsDid() {
        ModelConfig stories = RopeRule.REFERENCE.applyTo(ModelConfig.stories15M());
        double plain = stories.ropeTheta();
        int checked = 0;
        for (String name : Sweeps.NAMES) {
            for (SweepPoint p : Sweeps.points(name, Scale.QUICK)) {
                boolean scored = p.kind() == Kind.PERPLEXITY || p.kind() == Kind.PROBE
                        || p.kind() == Kind.FULL_ATTENTION_PERPLEXITY;
                if (!scored || !p.model().equals("stories15M")) {
                    continue;
                }
                PrefillSettings s = p.settings();
                String what = name + " " + s;
                if (p.fullAttention()) {
                    assertTrue(Rope.effectiveBase(stories, s.length()) > plain, what + ": full attention uses NTK");
                } else {
                    int largest = PrefillSettings.SINKS + s.memory() + s.chunk();
                    assertEquals(plain, Rope.effectiveBase(stories, largest), what + ": plain RoPE in every forward");
                }
                checked++;
            }
        }
        assertTrue(checked > 50, "the quick sweeps have perplexity points: " + checked);
    }

    @Test
    void theAblationCoversEveryFunctionOfImAndImdcBesideFm() {
        List<SweepPoint> points = Sweeps.points("ablation", Scale.QUICK);
        Set<String> im = functions(points, "im"), imdc = functions(points, "imdc");
        assertEquals(Set.of("linear", "square", "sqrt", "inverse_convex", "inverse_concave", "square_sqrt",
                "double_inverse", "adaptive"), im);
        assertEquals(Set.of("linear", "square", "sqrt", "inverse_convex", "inverse_concave"), imdc);
        assertEquals(Set.of(""), functions(points, "fm"), "FM rows carry no function");
        assertEquals(Set.of(Kind.MEASURED, Kind.PERPLEXITY, Kind.MODELED),
                points.stream().map(SweepPoint::kind).collect(Collectors.toSet()));
    }

    private static Set<String> functions(List<SweepPoint> points, String method) {
        return points.stream().map(SweepsTest::template).filter(r -> r.method().equals(method))
                .map(ResultRow::function).collect(Collectors.toSet());
    }

    @Test
    void table4HasFullAttentionFmAndImdcModeledAtOneMillionTokens() {
        List<SweepPoint> points = Sweeps.points("table4", Scale.QUICK);
        List<ResultRow> modeled = points.stream().filter(p -> p.kind() == Kind.MODELED).map(SweepsTest::template)
                .toList();
        assertEquals(List.of("full", "fm", "imdc", "fm", "imdc"), modeled.stream().map(ResultRow::method).toList());
        assertEquals(Set.of("", "snapkv", "streamingllm"), modeled.stream().map(ResultRow::compressor)
                .collect(Collectors.toSet()));
        assertTrue(modeled.stream().allMatch(r -> r.length() == 1_048_576 && r.source().equals("modeled")));
        SweepPoint fullMeasured = points.stream().filter(p -> p.kind() == Kind.MEASURED && p.fullAttention())
                .findFirst().orElseThrow();
        assertEquals(1, fullMeasured.timedRuns(), "full attention's long run is timed once");
        ResultRow row = template(fullMeasured);
        assertEquals("full", row.method());
        assertEquals("", row.compressor());
        assertEquals(Set.of("fm", "imdc", "full"), points.stream().filter(p -> p.kind() != Kind.MODELED)
                .map(p -> template(p).method()).collect(Collectors.toSet()));
    }

    @Test
    void measuredPointsRepeatOnEachDeviceAndSayWhichBackendRanThem() {
        List<SweepPoint> fig4 = Sweeps.points("fig4", Scale.QUICK);
        long measured = fig4.stream().filter(p -> p.kind() == Kind.MEASURED).count();
        List<SweepPoint> both = Sweeps.onDevices(fig4, List.of("cpu", "opencl:pocl"));
        assertEquals(fig4.size() + measured, both.size());
        List<ResultRow> onPocl = both.stream().filter(p -> p.device().equals("opencl:pocl")).map(SweepsTest::template)
                .toList();
        assertEquals(measured, onPocl.size());
        assertTrue(onPocl.stream().allMatch(r -> r.backend().equals("opencl") && r.source().equals("measured")));
        assertTrue(both.stream().filter(p -> p.kind() == Kind.MODELED).map(SweepsTest::template)
                .allMatch(r -> r.backend().startsWith("sim:")), "modeled points stay on their profiles");
        assertThrows(IllegalArgumentException.class, () -> Sweeps.onDevices(fig4, List.of()));
    }
}
