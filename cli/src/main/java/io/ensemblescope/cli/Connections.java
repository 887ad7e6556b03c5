package io.ensemblescope.cli;

import io.ensemblescope.datasets.DataDirectories;
import io.ensemblescope.rpc.security.ClientSecurity;
import io.ensemblescope.rpc.security.ServerSecurity;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Channels to the three services: running ones named by host:port (all three or none), reached with the client
 * security the command's flags describe, else the three started in this process on loopback. Closing shuts the
 * channels and any services started here.
 */
public final class Connections implements AutoCloseable {
    private final ManagedChannel trainer;
    private final ManagedChannel inference;
    private final ManagedChannel metrics;
    private final String inferenceTarget;
    private final LocalServices local;
    private final ClientSecurity security;

    private Connections(String trainer, String inference, String metrics, LocalServices local,
                        ClientSecurity security) {
        this.trainer = Targets.channel("trainer", trainer, security);
        this.inference = Targets.channel("inference", inference, security);
        this.metrics = Targets.channel("metrics", metrics, security);
        this.inferenceTarget = inference;
        this.local = local;
        this.security = security;
    }

    /**
     * @param trainer  and {@code inference}, {@code metrics}: all three addresses, or all null (checked by
     *     {@link ServiceTargets#validate()})
     * @param store    and {@code device}: for services started here
     * @param dataDirs what services started here offer as the data directories datasets may name
     * @param security how to reach running services (resolved only when targets are given)
     */
    public static Connections open(String trainer, String inference, String metrics, Path store, String device,
                                   DataDirectories dataDirs, Supplier<ClientSecurity> security)
            throws Exception {
        if (trainer != null) {
            return new Connections(trainer, inference, metrics, null, security.get());
        }
        // The study resumes the interrupted jobs it needs itself (StudyRunner), none other in the background.
        LocalServices local = LocalServices.start(store, device, new int[3], new int[] {-1, -1, -1}, dataDirs,
                ServerSecurity.loopback(), false);
        return new Connections(local.trainerTarget(), local.inferenceTarget(), local.metricsTarget(), local,
                ClientSecurity.PLAINTEXT);
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

    /** How the channels reach the services: what other clients of this command (the load generator) use too. */
    public ClientSecurity security() {
        return security;
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
