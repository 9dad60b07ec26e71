package dev.stepmem.datasets.sample;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stepmem.datasets.DatasetException;
import dev.stepmem.datasets.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Documents from a RedPajama-style JSON-lines file (one {@code {"text": "...", ...}} object per
 * line; other fields such as "meta" are ignored; blank lines are skipped; ".gz" files are read
 * decompressed). This is how the paper's own GitHub and ArXiv subsets are used when a user has
 * them. A bad line stops the read with an error naming the file and line number.
 */
public final class JsonLinesSource {
    /** One document: its 1-based line number and its text. */
    public record Line(long number, String text) {
    }

    private final Path file;

    public JsonLinesSource(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Calls {@code each} for every document in file order. */
    public void forEach(Consumer<Line> each) {
        if (!Files.isReadable(file)) {
            throw new DatasetException(file + ": no such readable file");
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)),
                     1 << 16)) {
            long number = 0;
            for (String line; (line = readLine(r, number + 1)) != null; ) {
                number++;
                if (!line.isBlank()) {
                    each.accept(new Line(number, text(line, number)));
                }
            }
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private String readLine(BufferedReader r, long number) {
        try {
            return r.readLine();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DatasetException(file + ":" + number + ": not valid UTF-8");
        } catch (IOException e) {
            throw new DatasetException(file + ":" + number + ": cannot read: " + e.getMessage(), e);
        }
    }

    private String text(String line, long number) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (JacksonException e) {
            throw new DatasetException(file + ":" + number + ": not a valid JSON line: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new DatasetException(file + ":" + number + ": expected a JSON object like {\"text\": \"...\"}");
        }
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual()) {
            throw new DatasetException(file + ":" + number + ": has no string field \"text\"");
        }
        return text.asText();
    }
}
