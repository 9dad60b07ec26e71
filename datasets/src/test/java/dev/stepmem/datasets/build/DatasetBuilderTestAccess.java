package dev.stepmem.datasets.build;

import dev.stepmem.datasets.FakeDebs;
import dev.stepmem.datasets.manifest.BuildSettings;

import java.io.IOException;

/** Lets tests in other packages build the fake domain of {@link DatasetBuilderTest}. */
public final class DatasetBuilderTestAccess {
    public static final BuildSettings SETTINGS = DatasetBuilderTest.SETTINGS;

    private DatasetBuilderTestAccess() {
    }

    public static Domain domain() {
        return DatasetBuilderTest.domain();
    }

    public static FakeDebs packages() throws IOException {
        return DatasetBuilderTest.packages("1.0-1");
    }
}
