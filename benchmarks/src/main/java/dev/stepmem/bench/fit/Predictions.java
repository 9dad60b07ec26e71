package dev.stepmem.bench.fit;

import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.modeled.ModeledPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ImplementationProfile;
import java.util.List;
import java.util.Locale;

/**
 * Fig 4's RTX 3090 panels as the model predicts them (the paper's settings: L = 8192; SnapKV with eager
 * attention at c = 512, m_max in {128, 256, 512}; StreamingLLM with flash at c = 2048, m_max in
 * {512, 1024, 2048}), per implementation: absolute TTFT and peak memory, FM/IM and FM/IMDC.
 */
final class Predictions {
    private Predictions() {
    }

    static final int LENGTH = 8192;

    /** (compressor, c, m_max values): the two panels. */
    private record Panel(String compressor, int chunk, int[] memories) {
    }

    private static final List<Panel> PANELS = List.of(new Panel("snapkv", 512, new int[] {128, 256, 512}),
            new Panel("streamingllm", 2048, new int[] {512, 1024, 2048}));

    static String table(ModelWeights w, DeviceProfile device, List<ImplementationProfile> implementations) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "LLaMA-2-7B bf16 on %s (sha256 %s), L = %d%n%n",
                device.name(), device.shortHash(), LENGTH));
        md.append("| implementation | compressor (attention) | c | m_max | TTFT FM (s) | IM | IMDC | peak FM (GiB) | IM | IMDC "
                + "| FM/IM | FM/IMDC |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ImplementationProfile impl : implementations) {
            for (Panel p : PANELS) {
                for (int m : p.memories()) {
                    double[] t = new double[3], peak = new double[3];
                    for (Method method : Method.values()) {
                        PrefillSettings s = new PrefillSettings(method, "linear", Compressors.parse(p.compressor()),
                                LENGTH, p.chunk(), m, p.compressor().equals("snapkv") ? AttentionMode.EAGER
                                : AttentionMode.FLASH);
                        ModeledPrefill.Outcome o = ImplementationFit.run(w, device, impl, s);
                        t[method.ordinal()] = o.ttftNanos() / 1e9;
                        peak[method.ordinal()] = o.peakBytes() / 0x1p30;
                    }
                    md.append(String.format(Locale.ROOT, "| %s (sha256 %s) | %s (%s) | %d | %d | %.2f | %.2f | %.2f | %.2f "
                                    + "| %.2f | %.2f | %.2fx | %.2fx |%n", impl.name(), impl.shortHash(), p.compressor(),
                            p.compressor().equals("snapkv") ? "eager" : "flash", p.chunk(), m, t[0], t[1], t[2], peak[0],
                            peak[1], peak[2], t[0] / t[1], t[0] / t[2]));
                }
            }
        }
        return md.toString();
    }
}
