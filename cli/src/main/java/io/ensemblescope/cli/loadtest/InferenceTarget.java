package io.ensemblescope.cli.loadtest;

import ai.djl.Device;
import io.ensemblescope.api.v1.GetModelRequest;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.ListModelsRequest;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelInfo;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.security.ClientSecurity;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The inference service a load test drives, always over real gRPC connections: a running one at host:port, or one
 * started in this process on a checkpoint store (then its memory can be probed and the store tells when each
 * checkpoint was made).
 */
public final class InferenceTarget implements AutoCloseable {
    private final String address;
    private final LoadChannels channels;
    private final ServerProbe probe;
    private final CheckpointStore store;
    private final InferenceServer.Running local;

    private InferenceTarget(String address, LoadChannels channels, ServerProbe probe, CheckpointStore store,
                            InferenceServer.Running local) {
        this.address = address;
        this.channels = channels;
        this.probe = probe;
        this.store = store;
        this.local = local;
    }

    /**
     * A running service reached as {@code security} says (TLS, token); {@code probe} when it runs in this process
     * (else null). A load test describes, loads and unloads the models it measures: with tokens on, role
     * {@code admin}.
     */
    public static InferenceTarget running(String address, int connections, ServerProbe probe,
                                          ClientSecurity security) {
        return new InferenceTarget(address, new LoadChannels(address, connections, security), probe, null, null);
    }

    /** Starts an inference service in this process on {@code store}, on loopback at a free port. */
    public static InferenceTarget inProcess(Path store, String device, int connections) throws IOException {
        Engines.offline();
        Device dev = Engines.device(device);
        CheckpointStore checkpoints = new CheckpointStore(store);
        InferenceServer.Running server = InferenceServer.start(0, -1, 64 << 20, checkpoints,
                ServingOptions.defaults(dev));
        String address = "127.0.0.1:" + server.server().port();
        return new InferenceTarget(address, new LoadChannels(address, connections, ClientSecurity.PLAINTEXT),
                new ServerProbe(server.engine()), checkpoints, server);
    }

    public String address() {
        return address;
    }

    public String describe() {
        return local != null ? "inference service started in this process on " + store.root() + " (gRPC over "
                + address + ")" : "inference service at " + address;
    }

    List<ManagedChannel> channels() {
        return channels.channels();
    }

    Optional<ServerProbe> probe() {
        return Optional.ofNullable(probe);
    }

    InferenceServiceGrpc.InferenceServiceBlockingStub admin() {
        return InferenceServiceGrpc.newBlockingStub(channels().get(0));
    }

    /**
     * Opens every connection and makes one health check on each, waiting for the answer, so that connecting and the
     * first call's one-off costs (class loading, a cold JIT on a busy machine: seconds) stay out of the measurement.
     *
     * @throws io.grpc.StatusRuntimeException UNAVAILABLE when the target cannot be reached
     */
    void connect() {
        for (ManagedChannel channel : channels()) {
            try {
                HealthGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.UNAVAILABLE
                        || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                    throw e;
                }
                // Any other answer (e.g. a server without the health service) means the connection is up.
            }
        }
    }

    /** The service's description of one model (loads nothing). */
    public TargetModel model(ModelRef ref, int mcSamples) {
        return TargetModel.of(admin().getModel(GetModelRequest.newBuilder().setModel(ref).build()), mcSamples);
    }

    /** Every checkpoint version the service can serve, with its creation time when the store is at hand. */
    List<ModelChoice.Candidate> candidates() throws IOException {
        List<ModelChoice.Candidate> out = new ArrayList<>();
        if (store != null) {
            for (Manifest m : store.list("")) {
                out.add(new ModelChoice.Candidate(ModelRef.newBuilder().setName(m.name()).setVersion(m.version())
                        .build(), Method.valueOf(m.network().method().name()), m.network().members(),
                        m.createdAt()));
            }
            return out;
        }
        for (ModelInfo info : admin().listModels(ListModelsRequest.getDefaultInstance()).getModelsList()) {
            out.add(new ModelChoice.Candidate(info.getRef(), info.getMethod(), info.getMembers(), ""));
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        channels.close();
        if (local != null) {
            local.stop();
        }
    }
}
