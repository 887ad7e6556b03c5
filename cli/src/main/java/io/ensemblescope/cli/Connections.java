package io.ensemblescope.cli;

import io.ensemblescope.datasets.DataDirectories;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Channels to the three services: running ones named by host:port (all three or none), else the three started in
 * this process. Closing shuts the channels and any services started here.
 */
public final class Connections implements AutoCloseable {
    private final ManagedChannel trainer;
    private final ManagedChannel inference;
    private final ManagedChannel metrics;
    private final String inferenceTarget;
    private final LocalServices local;

    private Connections(String trainer, String inference, String metrics, LocalServices local) {
        this.trainer = Targets.channel("trainer", trainer);
        this.inference = Targets.channel("inference", inference);
        this.metrics = Targets.channel("metrics", metrics);
        this.inferenceTarget = inference;
        this.local = local;
    }

    /**
     * @param trainer and {@code inference}, {@code metrics}: all three addresses, or all null (checked by
     *     {@link ServiceTargets#validate()})
     * @param store and {@code device}: for services started here
     */
    static Connections open(String trainer, String inference, String metrics, Path store, String device)
            throws Exception {
        return open(trainer, inference, metrics, store, device, DataDirectories.NONE);
    }

    /** As above; services started here offer {@code dataDirs} as the data directories datasets may name. */
    public static Connections open(String trainer, String inference, String metrics, Path store, String device,
                                   DataDirectories dataDirs) throws Exception {
        if (trainer != null) {
            return new Connections(trainer, inference, metrics, null);
        }
        // The study resumes the interrupted jobs it needs itself (StudyRunner), none other in the background.
        LocalServices local = LocalServices.start(store, device, new int[3], new int[] {-1, -1, -1}, dataDirs,
                false);
        return new Connections(local.trainerTarget(), local.inferenceTarget(), local.metricsTarget(), local);
    }

    public ManagedChannel trainer() {
        return trainer;
    }

    public ManagedChannel inference() {
        return inference;
    }

    public ManagedChannel metrics() {
        return metrics;
    }

    /** The inference service's address as the metrics service dials it. */
    public String inferenceTarget() {
        return inferenceTarget;
    }

    public boolean local() {
        return local != null;
    }

    /** The serving core of the inference service started in this process, if it was. */
    public java.util.Optional<io.ensemblescope.inference.serving.InferenceEngine> localInference() {
        return java.util.Optional.ofNullable(local).map(LocalServices::inferenceEngine);
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel c : new ManagedChannel[] {trainer, inference, metrics}) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (local != null) {
            local.close();
        }
    }
}
