package io.ensemblescope.datasets;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Unpacks the regular files of a .tgz, refusing entries that would land outside the target directory. */
final class TarGzExtractor {
    private TarGzExtractor() {
    }

    /** Progress is reported in compressed bytes read, against the archive's size. */
    static void extract(Path tgz, Path target, String dataset, FetchListener listener) throws IOException {
        long total = Files.size(tgz);
        Path root = target.toAbsolutePath().normalize();
        try (CountingStream counted = new CountingStream(Files.newInputStream(tgz));
             TarArchiveInputStream tar = new TarArchiveInputStream(
                     new GZIPInputStream(new BufferedInputStream(counted, 1 << 16), 1 << 16))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (!entry.isFile()) {
                    continue;
                }
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException(tgz + ": entry " + entry.getName() + " escapes the extraction directory");
                }
                Files.createDirectories(out.getParent());
                Files.copy(tar, out);
                listener.progress(dataset, FetchListener.Stage.EXTRACT, counted.count, total);
            }
        }
        listener.progress(dataset, FetchListener.Stage.EXTRACT, total, total);
    }

    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
