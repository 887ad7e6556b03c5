package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
    public final MetricsServiceGrpc.MetricsServiceStub stub;
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
        stub = MetricsServiceGrpc.newStub(channel);
        blocking = MetricsServiceGrpc.newBlockingStub(channel);
    }

    /** Streams the chunks through Evaluate; a failed call rethrows its StatusRuntimeException. */
    public EvaluationReport evaluate(List<EvaluationChunk> chunks) throws InterruptedException {
        return evaluate(stub, chunks);
    }

    /** Streams the chunks through Evaluate on any stub; a failed call rethrows its StatusRuntimeException. */
    public static EvaluationReport evaluate(MetricsServiceGrpc.MetricsServiceStub stub, List<EvaluationChunk> chunks)
            throws InterruptedException {
        CompletableFuture<EvaluationReport> result = new CompletableFuture<>();
        StreamObserver<EvaluationChunk> requests = stub.evaluate(new StreamObserver<>() {
            @Override
            public void onNext(EvaluationReport report) {
                result.complete(report);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.completeExceptionally(new IllegalStateException("completed without a report"));
            }
        });
        for (EvaluationChunk chunk : chunks) {
            requests.onNext(chunk);
        }
        requests.onCompleted();
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Evaluate did not answer", e);
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
