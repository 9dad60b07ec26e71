package dev.stepmem.plots;

/**
 * The paper's headline numbers the report sets beside ours, as METHOD.md records them (abstract,
 * §7): Zeng et al., "Memorize Step by Step", EMNLP 2024.
 */
final class PaperNumbers {
    private PaperNumbers() {
    }

    /** FM/IM TTFT at A800, SnapKV (eager), c = m_max = 1024, LLaMA-2-7B (Fig 4; the abstract's 1.45x). */
    static final double FM_OVER_IM = 1.45;
    /** FM/IMDC TTFT at the same setting (about 1.50x). */
    static final double FM_OVER_IMDC = 1.50;
    /** IMDC's GPU memory saving against FM at the same setting (the abstract's 23.3%). */
    static final double IMDC_MEMORY_SAVING = 0.233;
    /** Table 4, one 1M-token sequence: FM's and IMDC's TTFT in seconds, IMDC's perplexity. */
    static final double TABLE4_FM_SECONDS = 505, TABLE4_IMDC_SECONDS = 328, TABLE4_IMDC_PPL = 2.11;
    /** How far IM/IMDC perplexity may sit from FM's and still count as "comparable" here (5%). */
    static final double PPL_TOLERANCE = 0.05;
    /** The headline setting, as the sweeps write it. */
    static final String HEADLINE_PROFILE = "a800-80gb";
    static final int HEADLINE_CHUNK = 1024, HEADLINE_MEMORY = 1024;
}
