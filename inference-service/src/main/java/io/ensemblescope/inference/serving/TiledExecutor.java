package io.ensemblescope.inference.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.NetworkSpec;
import java.util.function.BooleanSupplier;

/**
 * BatchEnsemble and single models: all members in ONE forward over the member-major tiled input [k·B, …] (k = 1 for
 * a single model, where no tiling happens).
 */
final class TiledExecutor implements MemberExecutor {
    private final String model;
    private final NetworkSpec spec;
    private final Block block;
    private final ForwardListener listener;

    TiledExecutor(String model, EnsembleNetwork net, ForwardListener listener) {
        this.model = model;
        this.spec = net.spec();
        this.block = net.replicas().get(0);
        this.listener = listener;
    }

    @Override
    public MemberLogits logits(NDArray input, int members, BooleanSupplier abandoned) {
        long rows = input.getShape().get(0) * spec.members();
        listener.beforeForward(model, spec.method(), 0, rows);
        try {
            return MemberLogits.memberMajor(EnsembleNetwork.runLogits(spec, block, input, spec.members()));
        } finally {
            listener.afterForward(model, spec.method(), 0, rows);
        }
    }
}
