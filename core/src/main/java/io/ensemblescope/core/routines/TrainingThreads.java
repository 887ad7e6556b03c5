package io.ensemblescope.core.routines;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import io.ensemblescope.core.models.NetworkCost;
import io.ensemblescope.core.models.NetworkSpec;

/**
 * The PyTorch intra-op threads of a training run on the CPU. A step of a small network is dozens of ops on a few
 * hundred kilobytes each, where every parallel region costs more in thread wake-ups than the second core saves: on
 * the MNIST MLP one thread trains every method 1.4–1.5× faster than two (docs/BENCHMARKS.md, training item 8), while
 * ResNet-20's convolutions use every core. So a run whose training step is below {@link #SMALL_STEP_FLOPS} trains on
 * one thread.
 *
 * <p>The count is set on the training thread only and restored on {@link #close()}: libtorch keeps it per calling
 * thread, and a trainer may share its process with serving threads, which set their own before every forward.
 */
public final class TrainingThreads implements AutoCloseable {
    /** Forward FLOPs of one training step below which a run trains on one intra-op thread. */
    public static final double SMALL_STEP_FLOPS = 1e9;

    private final int restore;

    private TrainingThreads(int restore) {
        this.restore = restore;
    }

    /** Forward FLOPs of one training step of {@code spec} with {@code config}'s batches. */
    static double stepForwardFlops(NetworkSpec spec, int classes, TrainConfig config) {
        return stepForwardFlops(spec, classes, BatchPlan.of(spec, config, config.batchSize()));
    }

    static double stepForwardFlops(NetworkSpec spec, int classes, BatchPlan plan) {
        return NetworkCost.of(spec, classes, 0).runForwardFlopsPerSample(spec.method()) * plan.samplesPerStep();
    }

    /** Intra-op threads a run with this step cost uses when the process is set to {@code processThreads}. */
    static int forStep(double stepForwardFlops, int processThreads) {
        return stepForwardFlops < SMALL_STEP_FLOPS ? 1 : processThreads;
    }

    /** Limits the calling thread for a run on {@code device} until closed (nothing changes on a GPU). */
    static TrainingThreads limit(Device device, double stepForwardFlops) {
        if (device.isGpu()) {
            return new TrainingThreads(0);
        }
        int current = JniUtils.getNumThreads();
        int wanted = forStep(stepForwardFlops, current);
        if (wanted == current) {
            return new TrainingThreads(0);
        }
        JniUtils.setNumThreads(wanted);
        return new TrainingThreads(current);
    }

    @Override
    public void close() {
        if (restore > 0) {
            JniUtils.setNumThreads(restore);
        }
    }
}
