package io.ensemblescope.datasets;

/** Which split of a dataset. */
public enum Subset {
    TRAIN,
    TEST
}
