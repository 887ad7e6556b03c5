package io.ensemblescope.inference.serving;

import ai.djl.ndarray.NDArray;
import io.ensemblescope.core.fused.FusedNetwork;
import io.ensemblescope.core.models.Method;
import java.util.function.BooleanSupplier;

/**
 * Single models, BatchEnsembles and (stacked) Deep Ensembles through their {@link FusedNetwork}: every member in one
 * forward over the untiled input, one op per layer where the memory budget allows.
 */
final class FusedExecutor implements MemberExecutor {
    private final String model;
    private final Method method;
    private final FusedNetwork fused;
    private final ForwardListener listener;

    FusedExecutor(String model, Method method, FusedNetwork fused, ForwardListener listener) {
        this.model = model;
        this.method = method;
        this.fused = fused;
        this.listener = listener;
    }

    @Override
    public MemberLogits logits(NDArray input, int members, BooleanSupplier abandoned) {
        // The input goes in untiled: B rows carry all k members (as B rows go through each threaded replica).
        long rows = input.getShape().get(0);
        listener.beforeForward(model, method, 0, rows);
        try {
            return MemberLogits.stacked(fused.stackedLogits(input), fused.members());
        } finally {
            listener.afterForward(model, method, 0, rows);
        }
    }
}
