package dev.stepmem.model;

import java.util.Locale;

/**
 * Which forwards get dynamic-NTK RoPE ({@link Rope}), a run setting (the CLI's {@code --rope}).
 *
 * <p>The authors' loader ({@code build_llm_from_name_or_path}) turns dynamic NTK on for every
 * LLaMA-family model with its trained context ({@code max_position_embeddings}) as the
 * threshold, so any forward over more positions is rescaled: LLaMA-2 (4096) past 4096,
 * stories15M (256) past 256. InternLM2 goes through its own model code and keeps its own rule.
 */
public enum RopeRule {
    /** What the checkpoint asks for: LLaMA-2-shaped configs and {@code rope_scaling: dynamic} only. */
    CHECKPOINT,
    /** The reference code's: dynamic NTK for every LLaMA-family model past its trained context. The sweeps' rule. */
    REFERENCE,
    /** Plain RoPE for every forward, whatever the checkpoint says. */
    PLAIN;

    public ModelConfig applyTo(ModelConfig config) {
        return switch (this) {
            case CHECKPOINT -> config;
            case PLAIN -> config.withDynamicNtkContext(0);
            case REFERENCE -> config.family().equals("internlm2") ? config
                    : config.withDynamicNtkContext(config.contextLength());
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RopeRule parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown RoPE rule '" + name + "' (expected checkpoint, reference or plain)");
        }
    }
}
