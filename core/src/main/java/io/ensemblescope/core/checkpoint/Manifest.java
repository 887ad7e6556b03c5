package io.ensemblescope.core.checkpoint;

import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.store.StoreLayout;
import java.util.List;
import java.util.Map;

/**
 * manifest.json of one checkpoint version: everything needed to rebuild, verify, serve and rerun it.
 *
 * @param formatVersion manifest format (bump on incompatible change)
 * @param name model name
 * @param version immutable version, "v1", "v2", …
 * @param network method, k, architecture, dropout, MC samples, BatchEnsemble options
 * @param classes number of classes C
 * @param classNames the C class names
 * @param inputShape one sample's shape, e.g. [1, 28, 28]
 * @param normalizationMean per-channel mean in [0,1] pixel units
 * @param normalizationStd per-channel std in [0,1] pixel units
 * @param dataset the training data (name, subset, offset, limit, validation fraction)
 * @param hyperparameters optimizer, schedule, epochs, batch size, patience, batch mode, augmentation
 * @param seeds one seed per run (per Deep-Ensemble member)
 * @param history per run, every epoch's loss, validation accuracy, seconds and images/s
 * @param metrics final validation metrics (e.g. validation_accuracy of the ensemble mean)
 * @param files every parameter file with size and sha256
 * @param createdAt ISO-8601 creation time
 * @param codeVersion EnsembleScope version that wrote it
 */
public record Manifest(int formatVersion, String name, String version, NetworkSpec network, int classes,
                       List<String> classNames, long[] inputShape, float[] normalizationMean,
                       float[] normalizationStd, Map<String, Object> dataset, Map<String, Object> hyperparameters,
                       List<Long> seeds, List<List<EpochRecord>> history, Map<String, Double> metrics,
                       List<FileEntry> files, String createdAt, String codeVersion) {
    public static final int FORMAT_VERSION = 1;

    /** One file of the version directory. */
    public record FileEntry(String path, long size, String sha256) {}

    /** Parameter file of replica i. */
    public static String replicaFile(int i) {
        return StoreLayout.replicaFile(i);
    }

    Manifest withVersion(String v, List<FileEntry> f) {
        return new Manifest(formatVersion, name, v, network, classes, classNames, inputShape, normalizationMean,
                normalizationStd, dataset, hyperparameters, seeds, history, metrics, f, createdAt, codeVersion);
    }
}
