package io.ensemblescope.core.routines;

import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;

/**
 * How an epoch is cut into batches. A BatchEnsemble either tiles each batch to its k members or splits it into k
 * slices; a split batch drops the remainder that does not divide by k, and a batch left empty is not planned at all,
 * so batch {@code i} of every epoch is the same rows in every run and a resumed run can start at any of them.
 *
 * @param rows training rows per epoch
 * @param batchSize rows per batch (per member when tiled)
 * @param members k of a BatchEnsemble, 1 otherwise
 * @param split BatchEnsemble: split batches instead of tiling them
 */
record BatchPlan(int rows, int batchSize, int members, boolean split) {
    static BatchPlan of(NetworkSpec spec, TrainConfig cfg, int rows) {
        int k = spec.method() == Method.BATCH_ENSEMBLE ? spec.members() : 1;
        boolean split = cfg.splitBatch() && k > 1;
        if (split && cfg.batchSize() % k != 0) {
            throw new IllegalArgumentException("batch_size " + cfg.batchSize() + " must be a multiple of members "
                    + k + " when the batch is split");
        }
        BatchPlan plan = new BatchPlan(rows, cfg.batchSize(), k, split);
        if (plan.batchesPerEpoch() == 0) {
            throw new IllegalArgumentException("dataset: " + rows + " training rows make no batch of " + k
                    + " member slices");
        }
        return plan;
    }

    int batchesPerEpoch() {
        int batches = (rows + batchSize - 1) / batchSize;
        return batches > 0 && size(batches - 1) == 0 ? batches - 1 : batches;
    }

    /** Samples of a full batch as the network sees them: a tiled batch's rows each pass all k members, a split
     *  batch's rows one member each. */
    double samplesPerStep() {
        return split ? (double) batchSize / members : batchSize;
    }

    /** First row (in the epoch's order) of batch {@code i}. */
    int from(int i) {
        return i * batchSize;
    }

    /** Rows in batch {@code i}. */
    int size(int i) {
        int b = Math.min(batchSize, rows - from(i));
        return split ? b - b % members : b;
    }

    /** True when every member sees the whole batch (the input is tiled k times). */
    boolean tiles() {
        return members > 1 && !split;
    }
}
