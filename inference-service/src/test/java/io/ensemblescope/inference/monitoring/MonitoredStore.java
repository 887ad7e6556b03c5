package io.ensemblescope.inference.monitoring;

import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.inference.TinyCheckpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Checkpoints of every method trained well enough to be confident on MNIST (12,000 images, 3 epochs: about 95 %
 * accuracy), so that drift has something to move — the tiny checkpoints are barely better than chance. Trained once
 * per JVM into a store of these tests' own (profiles written there touch no other test), plus the real data served.
 */
final class MonitoredStore {
    static final String SINGLE = TinyCheckpoints.SINGLE;
    static final String MC = TinyCheckpoints.MC;
    static final String DE = TinyCheckpoints.DE;
    static final String BE = TinyCheckpoints.BE;

    private static CheckpointStore store;

    private MonitoredStore() {}

    static synchronized CheckpointStore trained() {
        if (store == null) {
            try {
                CheckpointStore s = new CheckpointStore(Files.createTempDirectory("escope-monitoring-ckpt"));
                TrainingData data = TrainingData.holdOut(DatasetCatalog.shared().load(new DatasetRequest("mnist",
                        Subset.TRAIN, 0, 12_000, "", null, 0)), 0.1);
                TinyCheckpoints.train(s, data, SINGLE, Method.SINGLE, 1, 1, 3);
                TinyCheckpoints.train(s, data, MC, Method.MC_DROPOUT, 1, 1, 3);
                TinyCheckpoints.train(s, data, DE, Method.DEEP_ENSEMBLE, 2, 1, 3);
                TinyCheckpoints.train(s, data, BE, Method.BATCH_ENSEMBLE, 4, 1, 3);
                store = s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return store;
    }

    /** A copy of the tiny checkpoints (job work directories left out), for tests that write beside them. */
    static CheckpointStore copyOfTiny(Path dir) throws IOException {
        Path from = TinyCheckpoints.store().root();
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                String rel = from.relativize(p).toString();
                if (rel.startsWith(".")) {
                    continue;
                }
                Path to = dir.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return new CheckpointStore(dir);
    }

    /** A whole test split, optionally shifted (e.g. rotate-60). */
    static ImageDataset test(String name, String shift) {
        return DatasetCatalog.shared().load(new DatasetRequest(name, Subset.TEST, 0, 0, shift, null, 17));
    }
}
