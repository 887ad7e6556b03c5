package io.ensemblescope.inference;

import com.google.protobuf.ByteString;
import io.ensemblescope.api.oip.GRPCInferenceServiceGrpc;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.inference.serving.ForwardListener;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ModelLoader;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.Meters;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A real inference server on loopback (ports chosen freely) over the tiny checkpoints, with the Open Inference
 * Protocol's REST binding on, and a channel to it.
 */
public final class ServerHarness implements AutoCloseable {
    public static final int MAX_INBOUND = 4 * 1024 * 1024;

    public final InferenceEngine engine;
    public final InferenceServer.Running running;
    public final ManagedChannel channel;
    public final InferenceServiceGrpc.InferenceServiceBlockingStub blocking;
    public final InferenceServiceGrpc.InferenceServiceStub async;
    /** The Open Inference Protocol's gRPC service, on the same channel. */
    public final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub oip;
    /** http://127.0.0.1:port of the Open Inference Protocol's REST binding. */
    public final java.net.URI http;

    public ServerHarness(ServingOptions options, ForwardListener forwards, ModelLoader loader) throws IOException {
        this(TinyCheckpoints.store(), options, forwards, loader, MonitoringOptions.DEFAULT);
    }

    /** A server over {@code store} with uncertainty monitoring sized by {@code monitoring} (null: off). */
    public ServerHarness(CheckpointStore store, ServingOptions options, ForwardListener forwards, ModelLoader loader,
                         MonitoringOptions monitoring) throws IOException {
        PrometheusMeterRegistry registry = Meters.newRegistry("inference");
        engine = new InferenceEngine(store, options, registry, forwards, loader);
        running = InferenceServer.start(0, 0, 0, MAX_INBOUND, engine, registry, monitoring);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", running.server().port()).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        blocking = InferenceServiceGrpc.newBlockingStub(channel);
        async = InferenceServiceGrpc.newStub(channel);
        oip = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        http = java.net.URI.create("http://127.0.0.1:" + running.httpPort());
    }

    public ServerHarness(ServingOptions options, ForwardListener forwards) throws IOException {
        this(options, forwards, TinyCheckpoints.store()::load);
    }

    /** A server with CPU defaults and no forward listener. */
    public static ServerHarness cpuDefaults() {
        try {
            return new ServerHarness(ServingOptions.defaults(ai.djl.Device.cpu()), ForwardListener.NONE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A request of {@code n} real MNIST test images from {@code from}, as raw UINT8 pixels. */
    public static PredictRequest pixels(String model, int from, int n) {
        ImageDataset d = TinyCheckpoints.testImages();
        byte[] px = Arrays.copyOfRange(d.pixels(), from * d.imageBytes(), (from + n) * d.imageBytes());
        return PredictRequest.newBuilder().setModel(ModelRef.newBuilder().setName(model))
                .setInput(Tensor.newBuilder().addShape(n).addShape(1).addShape(28).addShape(28)
                        .setDtype(DType.UINT8).setRawData(ByteString.copyFrom(px)))
                .setRequestId(model + "-" + from + "-" + n).build();
    }

    /** A server over {@code store} with CPU defaults and monitoring sized by {@code monitoring}. */
    public static ServerHarness monitored(CheckpointStore store, MonitoringOptions monitoring) throws IOException {
        return new ServerHarness(store, ServingOptions.defaults(ai.djl.Device.cpu()), ForwardListener.NONE,
                store::load, monitoring);
    }

    /** The samples of the server's /metrics endpoint now. */
    public io.ensemblescope.rpc.PrometheusText scrape() throws IOException, InterruptedException {
        return io.ensemblescope.rpc.PrometheusText.scrape(metricsUrl());
    }

    public String metricsUrl() {
        return "http://127.0.0.1:" + running.server().metricsPort() + "/metrics";
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        running.stop();
    }
}
