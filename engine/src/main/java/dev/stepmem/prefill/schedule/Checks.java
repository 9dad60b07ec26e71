package dev.stepmem.prefill.schedule;

/** Argument checks shared by the schedule classes: every message names the parameter. */
final class Checks {
    private Checks() {}

    static int positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }

    static int mMax(int mMax) {
        return positive("m_max (memory limit)", mMax);
    }

    static int nChunks(int nChunks) {
        return positive("nChunks (number of chunks n)", nChunks);
    }

    static int nLayers(int nLayers) {
        return positive("nLayers (number of layers)", nLayers);
    }

    static int step(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        return step;
    }

    /** Layer-independent schedules accept any layer index >= 0, since they do not know nLayers. */
    static int layer(int layer) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        return layer;
    }

    static int layer(int layer, int nLayers) {
        if (layer < 0 || layer >= nLayers) {
            throw new IllegalArgumentException(
                    "layer must be in [0, " + nLayers + ") for a schedule of " + nLayers + " layers, got " + layer);
        }
        return layer;
    }

    /** CLI spelling: case-insensitive, hyphens accepted for underscores ("inverse-convex"). */
    static String normalizeName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        return name.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
