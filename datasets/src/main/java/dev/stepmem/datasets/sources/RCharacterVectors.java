package dev.stepmem.datasets.sources;

import dev.stepmem.datasets.DatasetException;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the character vectors of an R lazy-load database (a package's data/Rdata.rdb): a
 * sequence of blocks, each a big-endian int32 uncompressed length and a zlib stream holding one
 * object in R's XDR serialization. Only what janeaustenr stores is supported, a character vector
 * (STRSXP) of CHARSXP strings; anything else is reported, not guessed at.
 */
public final class RCharacterVectors {
    private static final int STRSXP = 16;
    private static final int CHARSXP = 9;
    private static final int LATIN1_MASK = 1 << 2;

    private RCharacterVectors() {
    }

    /** Every object of {@code rdb}, in file order, as its list of strings (NA as ""). */
    public static List<List<String>> readAll(byte[] rdb, String file) {
        List<List<String>> out = new ArrayList<>();
        int pos = 0;
        while (pos < rdb.length) {
            if (rdb.length - pos < 5) {
                throw bad(file, "truncated block header at byte " + pos);
            }
            int size = ByteBuffer.wrap(rdb, pos, 4).getInt();
            Inflater inf = new Inflater();
            try {
                inf.setInput(rdb, pos + 4, rdb.length - pos - 4);
                byte[] obj = new byte[size];
                int n = 0;
                while (n < size && !inf.finished()) {
                    int r = inf.inflate(obj, n, size - n);
                    if (r == 0 && (inf.needsInput() || inf.needsDictionary())) {
                        break;
                    }
                    n += r;
                }
                if (n != size) {
                    throw bad(file, "block at byte " + pos + " inflates to " + n + " bytes, not " + size);
                }
                out.add(strings(obj, file + " block at byte " + pos));
                pos = rdb.length - inf.getRemaining();
            } catch (DataFormatException e) {
                throw bad(file, "block at byte " + pos + " is not zlib-compressed (" + e.getMessage()
                        + "); only R's default compression is supported");
            } finally {
                inf.end();
            }
        }
        return out;
    }

    /** One serialized object: header, then a STRSXP. */
    static List<String> strings(byte[] obj, String where) {
        ByteBuffer b = ByteBuffer.wrap(obj); // XDR is big-endian, ByteBuffer's default
        try {
            if (obj.length < 2 || obj[0] != 'X' || obj[1] != '\n') {
                throw bad(where, "not R's XDR serialization (format byte " + (obj.length > 0 ? obj[0] : -1) + ")");
            }
            b.position(2);
            int version = b.getInt();
            b.getInt(); // R version that wrote it
            b.getInt(); // oldest R version that can read it
            if (version == 3) {
                int nameLength = b.getInt(); // then the native encoding's name
                b.position(b.position() + nameLength);
            } else if (version != 2) {
                throw bad(where, "serialization version " + version + " is not supported");
            }
            int flags = b.getInt();
            if ((flags & 0xFF) != STRSXP) {
                throw bad(where, "holds R type " + (flags & 0xFF) + ", not a character vector");
            }
            long length = b.getInt();
            if (length == -1) {
                length = ((long) b.getInt() << 32) | (b.getInt() & 0xFFFFFFFFL);
            }
            List<String> out = new ArrayList<>((int) Math.min(length, 1 << 20));
            for (long i = 0; i < length; i++) {
                out.add(charsxp(b, where));
            }
            return out;
        } catch (BufferUnderflowException e) {
            throw bad(where, "ends early (truncated)");
        }
    }

    private static String charsxp(ByteBuffer b, String where) {
        int flags = b.getInt();
        if ((flags & 0xFF) != CHARSXP) {
            throw bad(where, "has an element of R type " + (flags & 0xFF) + " in a character vector");
        }
        int len = b.getInt();
        if (len == -1) {
            return ""; // NA_character_
        }
        byte[] bytes = new byte[len];
        b.get(bytes);
        int levels = flags >>> 12;
        return (levels & LATIN1_MASK) != 0 ? new String(bytes, StandardCharsets.ISO_8859_1)
                : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Writes the format {@link #readAll} reads (tests build small databases with it). */
    public static byte[] serialize(List<String> strings) {
        ByteBuffer b = ByteBuffer.allocate(64 + strings.stream().mapToInt(s -> 8 + s.getBytes(StandardCharsets.UTF_8).length).sum());
        b.put((byte) 'X').put((byte) '\n').putInt(3).putInt(0x040201).putInt(0x030500);
        b.putInt(5).put("UTF-8".getBytes(StandardCharsets.US_ASCII));
        b.putInt(STRSXP).putInt(strings.size());
        for (String s : strings) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            b.putInt(CHARSXP | (1 << 3) << 12).putInt(u.length).put(u);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** A block of an Rdata.rdb: length prefix and zlib stream. */
    public static byte[] block(byte[] serialized) {
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(serialized);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).putInt(serialized.length).array());
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static DatasetException bad(String where, String problem) {
        return new DatasetException(where + ": " + problem);
    }
}
