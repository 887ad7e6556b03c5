package io.ensemblescope.cli.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.ListJobsRequest;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.cli.LocalServices;
import io.ensemblescope.testing.GrpcLogRecorder;
import io.ensemblescope.testing.RawCalls;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three services as {@code escope serve all} runs them, on loopback, fed 6,000 seeded malformed requests: wrong
 * lengths, dims and dtypes, non-finite values, huge strings, random bytes, bad versions and paths, bad
 * hyperparameters and job ids, malformed chunks, made-up targets, cancels and 1 ms deadlines, from four client
 * threads. No request may end in
 * UNKNOWN or INTERNAL (or UNAVAILABLE), grpc-java must log no stack trace, no fuzz request may start a job, every
 * service must still be serving, and a reference Predict must answer byte for byte as before. The table of
 * statuses per category goes to target/security-fuzz.md (quoted in docs/SECURITY.md).
 */
class SecurityFuzzTest {
    static final long SEED = 20_260_112L;
    static final int REQUESTS = 6_000;
    /** Client threads sending probes at once. */
    static final int CLIENTS = 4;
    static final String MODEL = "fuzz-ref";

    @TempDir
    static Path store;
    private static LocalServices services;
    private static Map<String, ManagedChannel> channels;
    private static String jobId;

    @BeforeAll
    static void start() throws Exception {
        services = LocalServices.start(store, "cpu", new int[3], new int[] {-1, -1, -1});
        channels = Map.of(TrainerServiceGrpc.SERVICE_NAME, channel(services.trainerTarget()),
                InferenceServiceGrpc.SERVICE_NAME, channel(services.inferenceTarget()),
                MetricsServiceGrpc.SERVICE_NAME, channel(services.metricsTarget()));
        Iterator<TrainEvent> events = TrainerServiceGrpc.newBlockingStub(channels.get(TrainerServiceGrpc.SERVICE_NAME))
                .withDeadlineAfter(5, TimeUnit.MINUTES).startTraining(TrainRequest.newBuilder().setModelName(MODEL)
                        .setMethod(Method.SINGLE).setArchitecture("mnist-mlp")
                        .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(500))
                        .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.ADAM).setLearningRate(1e-3f))
                        .setEpochs(1).setBatchSize(100).build());
        TrainEvent last = events.next();
        while (events.hasNext()) {
            last = events.next();
        }
        assertEquals(TrainEvent.Kind.COMPLETED, last.getKind(), last.getMessage());
        jobId = last.getJobId();
        inference().loadModel(LoadModelRequest.newBuilder().setModel(ModelRef.newBuilder().setName(MODEL)).build());
    }

    @AfterAll
    static void stop() throws Exception {
        for (ManagedChannel c : channels.values()) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        services.close();
    }

    private static ManagedChannel channel(String target) {
        return NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(64 << 20).build();
    }

    private static InferenceServiceGrpc.InferenceServiceBlockingStub inference() {
        return InferenceServiceGrpc.newBlockingStub(channels.get(InferenceServiceGrpc.SERVICE_NAME))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** Eight fixed images: what must be answered identically before and after the fuzz. */
    private static PredictResponse reference() {
        byte[] px = new byte[8 * 784];
        new Random(7).nextBytes(px);
        return inference().predict(PredictRequest.newBuilder().setModel(ModelRef.newBuilder().setName(MODEL))
                .setRequestId("reference").setInput(Tensor.newBuilder().addShape(8).addShape(1).addShape(28)
                        .addShape(28).setDtype(DType.UINT8).setRawData(ByteString.copyFrom(px))).build());
    }

    @Test
    void malformedRequestsNeverMeetAServerFault() throws Exception {
        PredictResponse before = reference();
        MalformedRequests requests = new MalformedRequests(SEED, MODEL, jobId);
        Tally tally = new Tally();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        Semaphore inFlight = new Semaphore(2 * CLIENTS); // probes are made on demand; a few wait at most
        long start = System.nanoTime();
        try (GrpcLogRecorder grpcLog = new GrpcLogRecorder()) {
            for (int i = 0; i < REQUESTS; i++) {
                Probe p = requests.next();
                inFlight.acquire();
                clients.execute(() -> {
                    try {
                        long sent = System.nanoTime();
                        Status status = RawCalls.exchange(channels.get(p.service()), p.method(), p.messages(),
                                p.options(), p.cancel());
                        tally.add(p, status, System.nanoTime() - sent);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            clients.shutdown();
            assertTrue(clients.awaitTermination(120, TimeUnit.SECONDS), "fuzz clients finished");
            double seconds = (System.nanoTime() - start) / 1e9;
            String table = tally.markdown();
            System.out.printf("security fuzz: %d requests in %.1f s (seed %d)%n%s", tally.total(), seconds, SEED,
                    table);
            Files.writeString(Path.of("target", "security-fuzz.md"), String.format(
                    "%d requests in %.1f s, seed %d%n%n%s", tally.total(), seconds, SEED, table),
                    StandardCharsets.UTF_8);

            assertEquals(List.of(), tally.violations(), "client mistakes that met a server fault");
            assertEquals(List.of(), grpcLog.withThrowable().stream().map(r -> r.getMessage() + ": "
                    + r.getThrown()).toList(), "grpc-java logged stack traces");
            assertTrue(tally.total() >= 5_000 && seconds <= 60, tally.total() + " requests in " + seconds + " s");
        }
        for (Map.Entry<String, ManagedChannel> e : channels.entrySet()) {
            assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(e.getValue()).withDeadlineAfter(10,
                    TimeUnit.SECONDS).check(HealthCheckRequest.newBuilder().setService(e.getKey()).build())
                    .getStatus(), e.getKey());
        }
        assertEquals(List.of(jobId), TrainerServiceGrpc.newBlockingStub(channels.get(TrainerServiceGrpc.SERVICE_NAME))
                .listJobs(ListJobsRequest.getDefaultInstance()).getJobsList().stream().map(j -> j.getJobId())
                .toList(), "no fuzz request started a job");
        PredictResponse after = reference();
        assertEquals(before.getMemberProbabilities(), after.getMemberProbabilities(), "member probabilities");
        assertEquals(before.getMeanProbabilities(), after.getMeanProbabilities(), "mean probabilities");
        assertEquals(before.getServed(), after.getServed());
    }
}
