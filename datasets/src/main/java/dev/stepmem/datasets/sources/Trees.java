package dev.stepmem.datasets.sources;

import dev.stepmem.datasets.DatasetException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/** Finds a folder inside an unpacked package whose path has a version in it (usr/src/rustc-*). */
final class Trees {
    private Trees() {
    }

    /** The single path under {@code tree} matching {@code glob} ("*" within one path component). */
    static Path resolve(Path tree, String glob, String pkg) throws IOException {
        if (!glob.contains("*")) {
            Path p = tree.resolve(glob);
            if (!Files.exists(p)) {
                throw missing(pkg, glob);
            }
            return p;
        }
        PathMatcher m = tree.getFileSystem().getPathMatcher("glob:" + glob);
        int depth = glob.split("/").length;
        List<Path> found;
        try (Stream<Path> s = Files.find(tree, depth, (p, a) -> m.matches(tree.relativize(p)))) {
            found = s.sorted().toList();
        }
        if (found.size() != 1) {
            throw found.isEmpty() ? missing(pkg, glob) : new DatasetException("package " + pkg + " has "
                    + found.size() + " paths matching " + glob + ": " + found + "; expected one");
        }
        return found.getFirst();
    }

    private static DatasetException missing(String pkg, String path) {
        return new DatasetException("package " + pkg + " has no " + path + ": its layout changed in this version; "
                + "the source definition in dev.stepmem.datasets.build.Domains needs updating");
    }
}
