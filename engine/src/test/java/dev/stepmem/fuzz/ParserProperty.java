package dev.stepmem.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * The property every parser of untrusted bytes must have: on any input it either returns, or
 * throws its documented exception with a message that names the file. Never another exception
 * or error (an overflow, an index out of bounds, an OutOfMemoryError, a NullPointerException).
 */
public final class ParserProperty {
    private ParserProperty() {
    }

    /** What reads the file (and may use what it read, e.g. encode a string with a tokenizer). */
    @FunctionalInterface
    public interface Parser {
        void parse(Path file) throws Exception;
    }

    /**
     * Writes each variant to {@code file} and parses it.
     *
     * @return how many variants were refused (the rest parsed), so a test can check that the
     *         variants reached the parser's checks at all
     */
    public static int holds(List<ByteMutations.Variant> variants, Path file, Parser parser,
                            Class<? extends Exception> documented) throws Exception {
        return holds(variants, file, parser, documented, file.getFileName().toString());
    }

    /** As above; a refusal must name {@code mustName} (e.g. the model folder, when any of its files may be blamed). */
    public static int holds(List<ByteMutations.Variant> variants, Path file, Parser parser,
                            Class<? extends Exception> documented, String mustName) throws Exception {
        int refused = 0;
        for (int i = 0; i < variants.size(); i++) {
            ByteMutations.Variant v = variants.get(i);
            Files.write(file, v.bytes());
            try {
                parser.parse(file);
            } catch (Throwable t) {
                if (!documented.isInstance(t)) {
                    fail("variant " + i + " (" + v.mutations() + "; first bytes " + hex(v.bytes()) + ") threw " + t, t);
                }
                String message = String.valueOf(t.getMessage());
                if (!message.contains(mustName) || message.contains("\n")) {
                    fail("variant " + i + " (" + v.mutations() + "): the message does not name the file on one line: "
                            + message);
                }
                refused++;
            }
        }
        return refused;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b, 0, Math.min(b.length, 48));
    }
}
