package dev.stepmem.datasets.build;

import dev.stepmem.datasets.sources.AustenNovels;
import dev.stepmem.datasets.sources.DirectorySource;
import dev.stepmem.datasets.sources.KjvBible;
import dev.stepmem.datasets.sources.ZipSource;

import java.util.List;

/** The three built-in domains and the Debian (bookworm) packages they come from. */
public final class Domains {
    public static final List<String> NAMES = List.of("github", "arxiv", "books");

    private Domains() {
    }

    public static List<Domain> all() {
        return NAMES.stream().map(Domains::named).toList();
    }

    public static Domain named(String name) {
        return switch (name) {
            case "github" -> new Domain("github",
                    "GitHub-like code: the Go, Rust and Java standard libraries, files concatenated per project",
                    List.of(new DirectorySource("go", "golang-1.19-src", "usr/share/go-1.19/src", List.of(".go")),
                            new DirectorySource("rust", "rust-src", "usr/src/rustc-*/library", List.of(".rs")),
                            new ZipSource("java", "openjdk-17-source", "usr/lib/jvm/openjdk-17/lib/src.zip", ".java")));
            case "arxiv" -> new Domain("arxiv",
                    "ArXiv-like LaTeX: journal templates and sample papers, science package documentation, the PARI/GP manual",
                    List.of(new DirectorySource("texlive-publishers", "texlive-publishers-doc", "usr/share/doc/texlive-doc",
                                    List.of(".tex")),
                            new DirectorySource("texlive-science", "texlive-science-doc", "usr/share/doc/texlive-doc",
                                    List.of(".tex")),
                            new DirectorySource("pari", "pari-doc", "usr/share/pari/doc", List.of(".tex"))));
            case "books" -> new Domain("books",
                    "PG-19-like books: Jane Austen's six novels and the King James Bible",
                    List.of(AustenNovels.debian(), KjvBible.debian()));
            default -> throw new IllegalArgumentException("unknown domain '" + name + "': choose one of " + NAMES
                    + " or all");
        };
    }
}
