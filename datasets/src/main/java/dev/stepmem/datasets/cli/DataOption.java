package dev.stepmem.datasets.cli;

import dev.stepmem.datasets.DataDir;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The --data option every subcommand shares. */
final class DataOption {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Datasets folder (packages/ and documents/). Default: the asset cache's datasets folder.")
    Path data;

    DataDir dir() {
        return data != null ? new DataDir(data.toAbsolutePath()) : DataDir.defaultDir();
    }
}
