package io.ensemblescope.core.data;

/** Which split of a dataset. */
public enum Subset {
    TRAIN,
    TEST
}
