package io.ensemblescope.trainer.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.api.v1.BatchEnsembleOptions;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.ExecutorKind;
import io.ensemblescope.api.v1.GetJobRequest;
import io.ensemblescope.api.v1.JobState;
import io.ensemblescope.api.v1.ListCheckpointsRequest;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.trainer.executor.LocalExecutor;
import io.ensemblescope.trainer.jobs.JobManager;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer over real in-process gRPC, training real MNIST slices. */
class TrainerServiceTest {
    @TempDir
    Path root;
    private CheckpointStore store;
    private JobManager jobs;
    private Server server;
    private ManagedChannel channel;
    private TrainerServiceGrpc.TrainerServiceBlockingStub stub;
    private io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry;

    @BeforeEach
    void start() throws Exception {
        store = new CheckpointStore(root);
        DatasetCatalog catalog = DatasetCatalog.shared();
        registry = Meters.newRegistry("trainer-test");
        jobs = new JobManager(store, catalog, Map.of(ExecutorKind.LOCAL,
                new LocalExecutor(catalog, Device.cpu(), () -> false)), ExecutorKind.LOCAL, 1, 4,
                registry);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(new TrainerServiceImpl(jobs, store)).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = TrainerServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        jobs.close();
    }

    static TrainRequest request(Method method) {
        return TrainRequest.newBuilder().setModelName("m-" + method.name().toLowerCase()).setMethod(method)
                .setMembers(method == Method.BATCH_ENSEMBLE || method == Method.DEEP_ENSEMBLE ? 2 : 1)
                .setArchitecture("mnist-mlp")
                .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(1_500))
                .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.ADAM).setLearningRate(1e-3f))
                .setEpochs(2).setBatchSize(100).setDropoutRate(0.05f).addSeeds(3).build();
    }

    @Test
    void startTrainingStreamsOrderedEventsAndEndsWithALoadableCheckpoint() throws Exception {
        Iterator<TrainEvent> stream = stub.startTraining(request(Method.BATCH_ENSEMBLE));
        List<TrainEvent> events = new ArrayList<>();
        stream.forEachRemaining(events::add);
        assertEquals(TrainEvent.Kind.STARTED, events.get(0).getKind());
        TrainEvent last = events.get(events.size() - 1);
        assertEquals(TrainEvent.Kind.COMPLETED, last.getKind(), last.getMessage());
        List<Integer> epochs = events.stream().filter(e -> e.getKind() == TrainEvent.Kind.EPOCH)
                .map(TrainEvent::getEpoch).toList();
        assertEquals(List.of(1, 2), epochs);
        long previous = 0;
        for (TrainEvent e : events) {
            assertEquals(last.getJobId(), e.getJobId());
            assertTrue(e.getTimestampMs() >= previous, "events in order");
            previous = e.getTimestampMs();
        }
        assertTrue(events.stream().anyMatch(e -> e.getKind() == TrainEvent.Kind.STEP && e.getImagesPerSecond() > 0));

        ModelRef ref = last.getCheckpoint();
        assertEquals("v1", ref.getVersion());
        assertEquals(JobState.SUCCEEDED, stub.getJob(GetJobRequest.newBuilder().setJobId(last.getJobId()).build())
                .getState());
        var checkpoint = stub.getCheckpoint(ModelRef.newBuilder().setName(ref.getName()).build());
        assertEquals(Method.BATCH_ENSEMBLE, checkpoint.getMethod());
        assertEquals(1, checkpoint.getFilesCount());
        assertEquals(1, stub.listCheckpoints(ListCheckpointsRequest.getDefaultInstance()).getCheckpointsCount());
        try (EnsembleNetwork net = store.load(store.manifest(ref.getName(), ref.getVersion()), Device.cpu())) {
            assertEquals(2, net.spec().members());
        }
        String scrape = registry.scrape(io.ensemblescope.rpc.PrometheusEndpoint.CONTENT_TYPE);
        assertTrue(scrape.contains("escope_trainer_jobs{service=\"trainer-test\",state=\"succeeded\"} 1"), scrape);
        assertTrue(scrape.contains("escope_trainer_epoch_seconds_count"), "epoch seconds recorded");
        io.ensemblescope.testing.Promtool.assertValid(scrape);
    }

    private void assertInvalid(String field, UnaryOperator<TrainRequest.Builder> change) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.startTraining(change.apply(request(Method.BATCH_ENSEMBLE).toBuilder()).build())
                        .forEachRemaining(x -> { }));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), field);
        assertTrue(e.getStatus().getDescription().startsWith(field), e.getStatus().getDescription());
    }

    @Test
    void badRequestsAreRejectedNamingTheField() {
        assertInvalid("members", b -> b.setMembers(1));
        assertInvalid("batch_size", b -> b.setBatchSize(0));
        assertInvalid("epochs", b -> b.setEpochs(-1));
        assertInvalid("dataset.name", b -> b.setDataset(DatasetSpec.newBuilder().setName("imagenet")));
        assertInvalid("architecture", b -> b.setArchitecture("vgg"));
        assertInvalid("batch_ensemble.rank", b -> b.setBatchEnsemble(BatchEnsembleOptions.newBuilder().setRank(11)));
        assertInvalid("mc_samples", b -> b.setMcSamples(-2));
        assertInvalid("model_name", b -> b.setModelName("../escape"));
        assertInvalid("method", b -> b.setMethod(Method.METHOD_UNSPECIFIED));
        // Enum numbers this server does not know (a newer client's values) are refused, never defaulted.
        assertInvalid("method", b -> b.setMethodValue(99));
        assertInvalid("dataset.subset", b -> b.setDataset(b.getDataset().toBuilder().setSubsetValue(99)));
        assertInvalid("optimizer.kind", b -> b.setOptimizer(b.getOptimizer().toBuilder().setKindValue(99)));
        assertInvalid("batch_ensemble.init", b -> b.setBatchEnsemble(BatchEnsembleOptions.newBuilder()
                .setInitValue(99)));
        assertInvalid("batch_ensemble.batch_mode", b -> b.setBatchEnsemble(BatchEnsembleOptions.newBuilder()
                .setBatchModeValue(99)));
        assertTrue(jobs.list().isEmpty(), "nothing was queued");
    }

    @Test
    void unknownJobsAndCheckpointsAreNotFound() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.getJob(GetJobRequest.newBuilder().setJobId("job-none").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        e = assertThrows(StatusRuntimeException.class,
                () -> stub.getCheckpoint(ModelRef.newBuilder().setName("absent").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        e = assertThrows(StatusRuntimeException.class,
                () -> stub.cancelJob(io.ensemblescope.api.v1.CancelJobRequest.newBuilder().setJobId("x").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    @Test
    void cancelledJobEndsCancelledAndWritesNoCheckpoint() throws Exception {
        TrainRequest big = request(Method.DEEP_ENSEMBLE).toBuilder().setEpochs(50)
                .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(20_000)).build();
        Iterator<TrainEvent> stream = stub.startTraining(big);
        TrainEvent started = stream.next();
        stub.cancelJob(io.ensemblescope.api.v1.CancelJobRequest.newBuilder().setJobId(started.getJobId()).build());
        TrainEvent last = started;
        while (stream.hasNext()) {
            last = stream.next();
        }
        assertEquals(TrainEvent.Kind.CANCELLED, last.getKind());
        assertFalse(stub.listCheckpoints(ListCheckpointsRequest.getDefaultInstance()).getCheckpointsList().stream()
                .anyMatch(c -> c.getRef().getName().equals(big.getModelName())));
    }
}
