package io.ensemblescope.datasets;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset shipped as a Debian package, fetched with {@code apt-get download <name>} (no installation, no root
 * needed once the package lists exist) and unpacked with {@code dpkg-deb -x}. On a clean machine the package lists
 * may be missing, so a failed download is retried once after {@code apt-get update}.
 */
public record DebianPackage(String name) implements RegistryPackage {
    private static final long TIMEOUT_SECONDS = 1800;

    @Override
    public String describe() {
        return "apt-get download " + name + " && dpkg-deb -x " + name + "_*.deb DIR";
    }

    @Override
    public Path fetch(Path workDir, String dataset, FetchListener listener) throws IOException {
        listener.progress(dataset, FetchListener.Stage.DOWNLOAD, 0, -1);
        List<String> download = List.of("apt-get", "download", name);
        try {
            try {
                ExternalCommand.run(workDir, TIMEOUT_SECONDS, download);
            } catch (IOException retry) {
                throw new IOException(retry.getMessage() + " (also after apt-get update)", retry);
            }
        } catch (IOException first) {
            try {
                ExternalCommand.run(workDir, TIMEOUT_SECONDS, List.of("apt-get", "update"));
            } catch (IOException update) {
                throw new IOException(first.getMessage() + "; then apt-get update failed: " + update.getMessage(),
                        first);
            }
            try {
                ExternalCommand.run(workDir, TIMEOUT_SECONDS, download);
            } catch (IOException retry) {
                throw new IOException(retry.getMessage() + " (also after apt-get update)", retry);
            }
        }
        Path deb = findDeb(workDir);
        long size = Files.size(deb);
        listener.progress(dataset, FetchListener.Stage.DOWNLOAD, size, size);
        Path unpacked = workDir.resolve("unpacked");
        Files.createDirectories(unpacked);
        listener.progress(dataset, FetchListener.Stage.EXTRACT, 0, size);
        ExternalCommand.run(workDir, TIMEOUT_SECONDS,
                List.of("dpkg-deb", "-x", deb.getFileName().toString(), unpacked.toString()));
        listener.progress(dataset, FetchListener.Stage.EXTRACT, size, size);
        Files.delete(deb);
        return unpacked;
    }

    private Path findDeb(Path dir) throws IOException {
        try (DirectoryStream<Path> debs = Files.newDirectoryStream(dir, name + "_*.deb")) {
            for (Path deb : debs) {
                return deb;
            }
        }
        throw new IOException("'apt-get download " + name + "' left no " + name + "_*.deb");
    }
}
