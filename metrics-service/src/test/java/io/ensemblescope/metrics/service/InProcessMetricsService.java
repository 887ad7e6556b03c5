package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.BlockingClientCall;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The real metrics service on gRPC's in-process transport, for tests and the ingest benchmark. */
public final class InProcessMetricsService implements AutoCloseable {
    public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExecutorService runs = Executors.newCachedThreadPool();
    private final InferenceChannels channels =
            new InferenceChannels(target -> InProcessChannelBuilder.forName(target).build());
    private final Server server;
    private final ManagedChannel channel;
    public final MetricsServiceGrpc.MetricsServiceBlockingStub blocking;

    public InProcessMetricsService(EvaluationLimits limits, String inferenceTarget) throws IOException {
        MetricsMeters meters = new MetricsMeters(registry);
        EvaluationRunner runner = new EvaluationRunner(EvaluationDataSource.unconfigured(), channels,
                InferenceTargets.only(inferenceTarget), limits, meters, runs);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new MetricsServiceImpl(limits, meters, runner, CheckpointWeights.unimplemented()))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        blocking = MetricsServiceGrpc.newBlockingStub(channel);
    }

    /** Streams the chunks through Evaluate; a failed call rethrows its StatusRuntimeException. */
    public EvaluationReport evaluate(List<EvaluationChunk> chunks) throws InterruptedException {
        return evaluate(channel, chunks);
    }

    /** Streams the chunks through Evaluate on any channel; a failed call rethrows its StatusRuntimeException. */
    public static EvaluationReport evaluate(Channel channel, List<EvaluationChunk> chunks)
            throws InterruptedException {
        BlockingClientCall<EvaluationChunk, EvaluationReport> call = MetricsServiceGrpc.newBlockingV2Stub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS).evaluate();
        try {
            for (EvaluationChunk chunk : chunks) {
                if (!call.write(chunk)) {
                    break; // the server already answered; read says how
                }
            }
            call.halfClose();
            EvaluationReport report = call.read();
            if (report == null) {
                throw new IllegalStateException("Evaluate completed without a report");
            }
            return report;
        } catch (StatusException e) {
            throw e.getStatus().asRuntimeException(e.getTrailers());
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        channels.close();
        runs.shutdownNow();
    }
}
