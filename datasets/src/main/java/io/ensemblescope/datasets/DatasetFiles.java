package io.ensemblescope.datasets;

import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Where a dataset's files were found.
 *
 * @param source human-readable origin, e.g. {@code cache /root/.cache/ensemblescope/mnist}
 * @param files  {@link DataFile#name()} → the file on disk
 */
public record DatasetFiles(String source, Map<String, Path> files) {
    public DatasetFiles {
        files = Map.copyOf(files);
    }

    public Path path(String name) {
        Path p = files.get(name);
        if (p == null) {
            throw new NoSuchElementException("no file " + name + " in " + source);
        }
        return p;
    }
}
