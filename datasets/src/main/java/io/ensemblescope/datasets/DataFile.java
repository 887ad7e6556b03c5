package io.ensemblescope.datasets;

/**
 * One file a dataset needs.
 *
 * @param name          its name in a dataset directory (the cache, or a directory the user supplies)
 * @param pathInPackage where the registry package holds it, relative to the unpacked package
 * @param sha256        its known SHA-256, or null when the dataset's {@link ContentCheck} vouches for it instead
 */
public record DataFile(String name, String pathInPackage, String sha256) {
}
