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
import io.ensemblescope.api.v1.LrSchedule;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.trainer.executor.LocalExecutor;
import io.ensemblescope.trainer.jobs.JobManager;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a client may make the trainer read, train and commit, over real in-process gRPC on real MNIST slices. */
class TrainerTrustTest {
    @TempDir
    Path tmp;
    private CheckpointStore store;
    private final List<JobManager> managers = new ArrayList<>();
    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private TrainerServiceGrpc.TrainerServiceBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        store = new CheckpointStore(Files.createDirectories(tmp.resolve("store")));
        stub = trainer();
    }

    /** A trainer on the store (a second call is the trainer after a restart). */
    private TrainerServiceGrpc.TrainerServiceBlockingStub trainer() throws Exception {
        DatasetCatalog catalog = DatasetCatalog.shared();
        JobManager jobs = new JobManager(store, catalog, Map.of(ExecutorKind.LOCAL,
                new LocalExecutor(catalog, Device.cpu(), () -> false)), ExecutorKind.LOCAL, 1, 4,
                Meters.newRegistry("trainer-trust"));
        jobs.recover(false); // as a (re)started trainer does: it learns the jobs of earlier processes
        String name = InProcessServerBuilder.generateName();
        managers.add(jobs);
        servers.add(InProcessServerBuilder.forName(name).addService(new TrainerServiceImpl(jobs, store)).build()
                .start());
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        channels.add(channel);
        return TrainerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        managers.forEach(JobManager::close);
    }

    private static TrainRequest tiny(String model) {
        return TrainRequest.newBuilder().setModelName(model).setMethod(Method.SINGLE).setArchitecture("mnist-mlp")
                .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(400))
                .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.ADAM).setLearningRate(1e-3f))
                .setEpochs(1).setBatchSize(100).addSeeds(5).build();
    }

    private static List<TrainEvent> events(TrainerServiceGrpc.TrainerServiceBlockingStub s, TrainRequest r) {
        List<TrainEvent> out = new ArrayList<>();
        s.startTraining(r).forEachRemaining(out::add);
        return out;
    }

    private static Status refused(TrainerServiceGrpc.TrainerServiceBlockingStub s, TrainRequest r) {
        return assertThrows(StatusRuntimeException.class, () -> events(s, r)).getStatus();
    }

    private void assertInvalid(String field, UnaryOperator<TrainRequest.Builder> change) {
        Status s = refused(stub, change.apply(tiny("m").toBuilder()).build());
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), field + ": " + s);
        assertTrue(s.getDescription().startsWith(field), s.getDescription());
        assertTrue(s.getDescription().length() < 400, "bounded: " + s.getDescription().length());
    }

    @Test
    void hyperparametersMustBeFiniteAndWithinTheTrainersLimits() {
        OptimizerSpec adam = tiny("m").getOptimizer();
        for (float lr : new float[] {Float.POSITIVE_INFINITY, Float.NaN, -1f}) {
            assertInvalid("optimizer.learning_rate", b -> b.setOptimizer(adam.toBuilder().setLearningRate(lr)));
        }
        assertInvalid("optimizer.weight_decay", b -> b.setOptimizer(adam.toBuilder()
                .setWeightDecay(Float.POSITIVE_INFINITY)));
        assertInvalid("batch_ensemble.init_std", b -> b.setMethod(Method.BATCH_ENSEMBLE).setMembers(2)
                .setBatchEnsemble(BatchEnsembleOptions.newBuilder().setInitStd(Float.NaN)));
        assertInvalid("members", b -> b.setMethod(Method.DEEP_ENSEMBLE).setMembers(1000));
        assertInvalid("batch_size", b -> b.setBatchSize(Integer.MAX_VALUE));
        assertInvalid("epochs", b -> b.setEpochs(1_000_000));
        assertInvalid("mc_samples", b -> b.setMcSamples(100_000));
        assertInvalid("lr_schedule.milestones", b -> b.setEpochs(10).setLrSchedule(LrSchedule.newBuilder()
                .addAllMilestones(IntStream.rangeClosed(1, 5000).boxed().toList())));
        assertInvalid("model_name", b -> b.setModelName("n".repeat(8192)));
        assertInvalid("architecture", b -> b.setArchitecture("a".repeat(8192)));
        assertInvalid("dataset.name", b -> b.setDataset(DatasetSpec.newBuilder().setName("d".repeat(8192))));
        assertInvalid("dataset.path", b -> b.setDataset(tiny("m").getDataset().toBuilder().setPath("/etc")));
        assertInvalid("dataset.path", b -> b.setDataset(tiny("m").getDataset().toBuilder().setPath("../../x")));
        assertTrue(stub.listJobs(io.ensemblescope.api.v1.ListJobsRequest.getDefaultInstance()).getJobsList().isEmpty(),
                "nothing was queued");
    }

    @Test
    void getCheckpointReadsOnlyTheStore() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere/secret/v1"));
        Files.writeString(outside.resolve("manifest.json"), "{}");
        Files.createSymbolicLink(store.root().resolve("leak"), outside.getParent());
        for (String version : List.of("/etc", "../leak/v1", "v1/../../elsewhere", "x".repeat(3 << 20))) {
            Status s = assertThrows(StatusRuntimeException.class, () -> stub.getCheckpoint(ModelRef.newBuilder()
                    .setName("leak").setVersion(version).build())).getStatus();
            assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), s.toString());
            assertTrue(s.getDescription().startsWith("version: ") && s.getDescription().length() < 400);
        }
        for (String name : List.of("leak", "none")) {
            Status s = assertThrows(StatusRuntimeException.class, () -> stub.getCheckpoint(ModelRef.newBuilder()
                    .setName(name).setVersion("v1").build())).getStatus();
            assertEquals(Status.Code.NOT_FOUND, s.getCode(), s.toString());
            assertEquals("checkpoint " + name + "/v1 not found", s.getDescription());
        }
    }

    @Test
    void aResumeContinuesOnlyAnUnfinishedJobWithItsOriginalRequest() throws Exception {
        List<TrainEvent> done = events(stub, tiny("first"));
        TrainEvent completed = done.get(done.size() - 1);
        assertEquals(TrainEvent.Kind.COMPLETED, completed.getKind(), completed.getMessage());
        String id = completed.getJobId();
        Path record = store.jobDir(id).resolve("request.json");
        String original = Files.readString(record);

        TrainerServiceGrpc.TrainerServiceBlockingStub restarted = trainer();
        TrainRequest hijack = tiny("stolen").toBuilder().setResumeJobId(id).build();
        Status s = refused(restarted, hijack);
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), s.toString());
        assertTrue(s.getDescription().startsWith("resume_job_id: "), s.getDescription());
        assertEquals(Status.Code.INVALID_ARGUMENT, refused(stub, hijack).getCode(), "known to this trainer");
        Status ended = refused(restarted, TrainRequest.newBuilder().setResumeJobId(id).build());
        assertEquals(Status.Code.FAILED_PRECONDITION, ended.getCode(), ended.toString());
        assertTrue(ended.getDescription().contains("has ended SUCCEEDED"), ended.getDescription());
        assertEquals(Status.Code.NOT_FOUND, refused(restarted, TrainRequest.newBuilder().setResumeJobId("job-none")
                .build()).getCode());
        assertEquals(original, Files.readString(record), "the job's record is untouched");
        assertFalse(restarted.listCheckpoints(ListCheckpointsRequest.getDefaultInstance()).getCheckpointsList()
                .stream().anyMatch(c -> c.getRef().getName().equals("stolen")));

        // An interrupted job (record written, nothing committed) resumes only as it was asked for.
        Path work = Files.createDirectories(store.jobDir("job-interrupted"));
        Files.writeString(work.resolve("request.json"), com.google.protobuf.util.JsonFormat.printer()
                .print(tiny("second")));
        TrainerServiceGrpc.TrainerServiceBlockingStub afterCrash = trainer(); // learns the interrupted job
        s = refused(afterCrash, tiny("other").toBuilder().setResumeJobId("job-interrupted").build());
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), s.toString());
        assertTrue(s.getDescription().contains("another request"), s.getDescription());
        List<TrainEvent> resumed = events(afterCrash, TrainRequest.newBuilder().setResumeJobId("job-interrupted")
                .build());
        TrainEvent last = resumed.get(resumed.size() - 1);
        assertEquals(TrainEvent.Kind.COMPLETED, last.getKind(), last.getMessage());
        assertEquals("second", last.getCheckpoint().getName(), "the original request, not the resume call's");
    }

    @Test
    void aRunWhoseLossStopsBeingFiniteFailsAndCommitsNothing() {
        TrainRequest diverging = tiny("diverged").toBuilder().setOptimizer(OptimizerSpec.newBuilder()
                .setKind(OptimizerKind.ADAM).setLearningRate(1e30f)).build();
        List<TrainEvent> events = events(stub, diverging);
        TrainEvent last = events.get(events.size() - 1);
        assertEquals(TrainEvent.Kind.FAILED, last.getKind(), last.toString());
        assertTrue(last.getMessage().contains("diverged"), last.getMessage());
        assertEquals(JobState.FAILED, stub.getJob(GetJobRequest.newBuilder().setJobId(last.getJobId()).build())
                .getState());
        assertTrue(stub.listCheckpoints(ListCheckpointsRequest.getDefaultInstance()).getCheckpointsList().isEmpty(),
                "nothing committed");
    }
}
