package dev.stepmem.backend;

/** Which pairs of a head's dimensions RoPE rotates together. */
public enum RopeStyle {
    /** Pairs (2i, 2i+1): llama2.c and Meta's original checkpoints. */
    INTERLEAVED,
    /** Pairs (i, i + headSize/2): Hugging Face's rotate_half (LLaMA and InternLM2 HF weights). */
    ROTATE_HALF
}
