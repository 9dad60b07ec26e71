package dev.stepmem.datasets.manifest;

/** A tokenizer that token counts refer to: what it is and the sha256 of the file it was loaded from. */
public record TokenizerInfo(String description, String sha256) {
}
