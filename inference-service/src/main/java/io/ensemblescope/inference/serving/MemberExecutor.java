package io.ensemblescope.inference.serving;

import ai.djl.ndarray.NDArray;
import java.util.function.BooleanSupplier;

/** Runs one method's members over an input batch. */
interface MemberExecutor extends AutoCloseable {
    /**
     * Member logits [t, B, C] for input [B, …], read back; every array it makes is attached to the input's manager.
     *
     * @param members k for ensembles, T for MC Dropout, 1 for a single model
     * @param abandoned true when nobody waits for the answer any more: stop between forwards
     */
    MemberLogits logits(NDArray input, int members, BooleanSupplier abandoned);

    @Override
    default void close() {}
}
