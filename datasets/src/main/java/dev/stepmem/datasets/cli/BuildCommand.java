package dev.stepmem.datasets.cli;

import dev.stepmem.datasets.AtomicFiles;
import dev.stepmem.datasets.DataDir;
import dev.stepmem.datasets.build.DatasetBuilder;
import dev.stepmem.datasets.build.DatasetTokenizers;
import dev.stepmem.datasets.build.Domain;
import dev.stepmem.datasets.build.Domains;
import dev.stepmem.datasets.manifest.BuildSettings;
import dev.stepmem.datasets.manifest.DomainEntry;
import dev.stepmem.datasets.packages.AptGetFetcher;
import dev.stepmem.datasets.packages.DebPackages;
import dev.stepmem.exit.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code datasets build}: fetches the packages and cuts the documents. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Download the domain's Debian packages (apt-get download, no root), unpack them "
                + "(dpkg-deb -x), cut documents of at least --tokens tokens under every tokenizer (LLaMA-2/stories15M "
                + "and InternLM2) and write documents/manifest.json.",
                "Re-uses cached packages and finished documents; an interrupted build resumes.",
                "Each document is a run of whole files of one project in sorted path order, each file "
                        + "preceded by a line '==> PATH <=='."})
public final class BuildCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Option(names = "--domain", defaultValue = "all", paramLabel = "NAME",
            description = "github, arxiv, books or all (default: ${DEFAULT-VALUE}).")
    String domain;

    @Option(names = "--tokens", defaultValue = "32768", paramLabel = "N",
            description = "Minimum tokens per standard document (default: ${DEFAULT-VALUE}, the paper's length).")
    int tokens;

    @Option(names = "--docs", defaultValue = "8", paramLabel = "N",
            description = "Standard documents per domain (default: ${DEFAULT-VALUE}, as in the paper).")
    int docs;

    @Option(names = "--long-tokens", defaultValue = "1048576", paramLabel = "N",
            description = "Also one long document of at least N tokens per domain, from its largest source, "
                    + "when it has that much (default: ${DEFAULT-VALUE}; 0 = none).")
    int longTokens;

    @Option(names = "--refresh", description = "Download the packages again (apt may serve newer versions; "
            + "a version change is reported and recorded in documents/CHANGES.log).")
    boolean refresh;

    @Override
    public Integer call() {
        BuildSettings settings = ExitCodes.option(() -> new BuildSettings(tokens, docs, longTokens, DatasetBuilder.SEPARATOR));
        List<Domain> domains = ExitCodes.option(() -> domain.equals("all") ? Domains.all() : List.of(Domains.named(domain)));
        DataDir dir = data.dir();
        DebPackages packages = new DebPackages(dir.packages(),
                new AptGetFetcher(AptGetFetcher.defaultCommand(), dir.packages().resolve("debs")), System.err);
        DatasetBuilder builder = new DatasetBuilder(dir, packages, DatasetTokenizers::all, System.err, AtomicFiles::write);
        for (Domain d : domains) {
            DomainEntry e = builder.build(d, settings, refresh);
            System.out.println(d.name() + ": " + e.documents().size() + " documents in " + dir.domain(d.name()));
        }
        System.out.println("manifest: " + dir.documents().resolve("manifest.json"));
        return 0;
    }
}
