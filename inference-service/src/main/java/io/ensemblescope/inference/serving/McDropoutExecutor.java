package io.ensemblescope.inference.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.NetworkSpec;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * MC Dropout: T stochastic passes as one forward over [T·B, …] when T·B fits in {@code maxRows}, otherwise in
 * chunks of as many passes as fit (each pass draws fresh dropout masks either way).
 */
final class McDropoutExecutor implements MemberExecutor {
    private final String model;
    private final NetworkSpec spec;
    private final Block block;
    private final int maxRows;
    private final ForwardListener listener;

    McDropoutExecutor(String model, EnsembleNetwork net, int maxRows, ForwardListener listener) {
        this.model = model;
        this.spec = net.spec();
        this.block = net.replicas().get(0);
        this.maxRows = maxRows;
        this.listener = listener;
    }

    @Override
    public MemberLogits logits(NDArray input, int passes, BooleanSupplier abandoned) {
        long batch = input.getShape().get(0);
        int perChunk = (int) Math.max(1, Math.min(passes, maxRows / batch));
        NDList chunks = new NDList();
        for (int done = 0; done < passes; done += perChunk) {
            if (done > 0 && abandoned.getAsBoolean()) {
                throw new CancellationException("MC Dropout passes abandoned after " + done + " of " + passes);
            }
            int t = Math.min(perChunk, passes - done);
            listener.beforeForward(model, spec.method(), 0, t * batch);
            try {
                chunks.add(EnsembleNetwork.runLogits(spec, block, input, t));
            } finally {
                listener.afterForward(model, spec.method(), 0, t * batch);
            }
        }
        return MemberLogits.memberMajor(chunks.size() == 1 ? chunks.singletonOrThrow()
                : NDArrays.concat(chunks, 0));
    }
}
