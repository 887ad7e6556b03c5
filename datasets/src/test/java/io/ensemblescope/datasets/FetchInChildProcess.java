package io.ensemblescope.datasets;

import io.ensemblescope.datasets.catalog.StandardDatasets;
import java.nio.file.Path;

/** Runs one MNIST fetch in a separate JVM, so tests can race two processes on one cache root. */
public final class FetchInChildProcess {
    private FetchInChildProcess() {
    }

    public static void main(String[] args) {
        DatasetFetcher fetcher = new DatasetFetcher(Path.of(args[0]), true, System::getenv, FetchListener.NONE);
        System.out.println(fetcher.resolve(StandardDatasets.MNIST_SPEC, null).source());
    }
}
