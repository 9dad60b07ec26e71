package dev.stepmem.bench.gate;

import dev.stepmem.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The commit the gate times the working tree against, pinned in {@link #FILE} as
 * {@code commit = SHA} and {@code reason = WHY} lines. Moving it is a commit of that file
 * ({@code bin/ttft-gate refresh}), so the history says when and why the yardstick moved.
 */
record GateReference(String commit, String reason, String moved) {
    /** Relative to the repository's root. */
    static final String FILE = "benchmarks/ttft-gate-reference";

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    GateReference {
        if (commit == null || !SHA.matcher(commit).matches()) {
            throw new IllegalArgumentException("commit must be a full 40-digit hex SHA, got '" + commit + "'");
        }
        if (reason == null || reason.isBlank() || reason.contains("\n")) {
            throw new IllegalArgumentException("the reason must be one non-empty line");
        }
    }

    /** The pinned reference of the repository at {@code root}; a GateException (3) when absent or malformed. */
    static GateReference read(Path root) {
        Path file = root.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new GateException(GateException.NO_VERDICT, file + ": no reference commit is pinned "
                    + "(create it with: bin/ttft-gate refresh --to REV --reason \"why\")");
        }
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new GateException(GateException.NO_VERDICT, file + ": cannot read: " + e.getMessage());
        }
    }

    static GateReference parse(List<String> lines, String source) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (!List.of("commit", "reason", "moved").contains(key)) {
                throw new GateException(GateException.NO_VERDICT, source + ": line " + (i + 1)
                        + ": expected 'commit = SHA', 'reason = TEXT' or 'moved = DATE', found '" + line + "'");
            }
            fields.put(key, line.substring(eq + 1).strip());
        }
        try {
            return new GateReference(fields.get("commit"), fields.get("reason"), fields.getOrDefault("moved", ""));
        } catch (IllegalArgumentException e) {
            throw new GateException(GateException.NO_VERDICT, source + ": " + e.getMessage());
        }
    }

    String text() {
        return "# The TTFT gate's reference build (docs/ttft-gate.md): bin/ttft-gate times the working tree\n"
                + "# against this commit. Move it with: bin/ttft-gate refresh --to REV --reason \"why\"\n"
                + "commit = " + commit + "\n"
                + "reason = " + reason + "\n"
                + "moved = " + moved + "\n";
    }

    /** Writes the file (temp file and rename) with today's date as {@code moved}. */
    static GateReference write(Path root, String commit, String reason) {
        GateReference ref = new GateReference(commit, reason, LocalDate.now().toString());
        byte[] bytes = ref.text().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(root.resolve(FILE), out -> out.write(bytes));
        return ref;
    }

    String shortCommit() {
        return commit.substring(0, 12);
    }
}
