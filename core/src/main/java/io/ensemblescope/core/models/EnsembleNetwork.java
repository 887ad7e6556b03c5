package io.ensemblescope.core.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.random.SeededRandom;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A built network of one method: one block (single, MC Dropout, BatchEnsemble) or k replica blocks (Deep Ensemble),
 * with the one output contract every method shares: member logits [k, B, C] for an input batch [B, …].
 */
public final class EnsembleNetwork implements AutoCloseable {
    private final NetworkSpec spec;
    private final Architecture architecture;
    private final NDManager manager;
    private final List<Block> replicas;

    private EnsembleNetwork(NetworkSpec spec, Architecture architecture, NDManager manager, List<Block> replicas) {
        this.spec = spec;
        this.architecture = architecture;
        this.manager = manager;
        this.replicas = replicas;
    }

    /**
     * Builds and initialises the network; replica i of a Deep Ensemble draws from seed {@code seeds[i]} (or
     * seeds[0] + i when fewer seeds are given).
     */
    public static EnsembleNetwork create(NetworkSpec spec, int classes, Device device, long... seeds) {
        Architecture arch = Architectures.get(spec.architecture(), classes);
        NDManager manager = Engines.pytorch().newBaseManager(device);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < spec.replicas(); i++) {
            long seed = i < seeds.length ? seeds[i] : seeds[0] + i;
            blocks.add(buildReplica(spec, arch, manager, new SeededRandom(seed)));
        }
        return new EnsembleNetwork(spec, arch, manager, blocks);
    }

    /** Builds one replica of {@code spec} for a dataset of {@code classes} classes (used by the trainer). */
    public static Block buildReplica(NetworkSpec spec, int classes, NDManager manager, SeededRandom random) {
        return buildReplica(spec, Architectures.get(spec.architecture(), classes), manager, random);
    }

    /** Builds one replica and initialises it with He-normal weights from its seeded stream. */
    static Block buildReplica(NetworkSpec spec, Architecture arch, NDManager manager, SeededRandom random) {
        Block block = arch.build(new LayerFactory(spec, random));
        block.setInitializer(new KaimingInitializer(random), Parameter.Type.WEIGHT);
        int tile = spec.method() == Method.BATCH_ENSEMBLE ? spec.members() : 1;
        block.initialize(manager, DataType.FLOAT32, sampleBatchShape(arch, tile));
        return block;
    }

    private static Shape sampleBatchShape(Architecture arch, int batch) {
        long[] dims = new long[arch.inputShape().length + 1];
        dims[0] = batch;
        System.arraycopy(arch.inputShape(), 0, dims, 1, arch.inputShape().length);
        return new Shape(dims);
    }

    public NetworkSpec spec() {
        return spec;
    }

    public Architecture architecture() {
        return architecture;
    }

    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** Blocks: k replicas for a Deep Ensemble, one otherwise. */
    public List<Block> replicas() {
        return replicas;
    }

    /**
     * Member logits [k, B, C] for input [B, …] in inference mode (BatchNorm uses running statistics). BatchEnsemble:
     * one forward over the input tiled k times; MC Dropout: one forward over [T·B, …]; Deep Ensemble: each replica in
     * turn (the inference service runs replicas in parallel through {@link #replicaLogits}); single: k = 1.
     */
    public NDArray memberLogits(NDArray input, int mcSamples) {
        if (spec.method() == Method.DEEP_ENSEMBLE) {
            NDList outs = new NDList();
            for (int i = 0; i < replicas.size(); i++) {
                outs.add(replicaLogits(i, input));
            }
            return ai.djl.ndarray.NDArrays.stack(outs);
        }
        return runLogits(spec, replicas.get(0), input, mcSamples > 0 ? mcSamples : spec.mcSamples());
    }

    /**
     * Logits [t, B, C] of one block in inference mode: t = k for BatchEnsemble (one forward over the tiled input),
     * t = T for MC Dropout (one forward over [T·B, …]), t = 1 for a single network or one Deep-Ensemble replica.
     */
    public static NDArray runLogits(NetworkSpec spec, Block block, NDArray input, int mcSamples) {
        return switch (spec.method()) {
            case BATCH_ENSEMBLE -> tiledForward(block, input, spec.members());
            case MC_DROPOUT -> tiledForward(block, input, mcSamples);
            case SINGLE, DEEP_ENSEMBLE -> forward(block, input, false).expandDims(0);
        };
    }

    /** Logits [B, C] of replica {@code i} in inference mode. */
    public NDArray replicaLogits(int i, NDArray input) {
        return forward(replicas.get(i), input, false);
    }

    /** Member-major [t·B, …] → logits reshaped to [t, B, C]. */
    static NDArray tiledForward(Block block, NDArray input, int t) {
        long batch = input.getShape().get(0);
        NDArray logits = forward(block, tile(input, t), false);
        return logits.reshape(t, batch, logits.getShape().get(1));
    }

    /** Repeats the batch t times along axis 0, member-major: rows [i·B, (i+1)·B) are copy i. */
    public static NDArray tile(NDArray input, int t) {
        if (t == 1) {
            return input;
        }
        long[] reps = new long[input.getShape().dimension()];
        java.util.Arrays.fill(reps, 1);
        reps[0] = t;
        return input.tile(reps);
    }

    static NDArray forward(Block block, NDArray input, boolean training) {
        ParameterStore ps = new ParameterStore(input.getManager(), false);
        return block.forward(ps, new NDList(input), training).singletonOrThrow();
    }

    /** Writes replica {@code i}'s parameters in DJL's block format. */
    public void saveReplica(int i, DataOutputStream out) throws IOException {
        replicas.get(i).saveParameters(out);
    }

    /** Reads replica {@code i}'s parameters (the network must have been built from the same spec). */
    public void loadReplica(int i, DataInputStream in) throws IOException {
        try {
            replicas.get(i).loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("parameters do not fit " + spec.architecture() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
