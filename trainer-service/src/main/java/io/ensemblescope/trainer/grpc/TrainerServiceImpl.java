package io.ensemblescope.trainer.grpc;

import io.ensemblescope.api.v1.CancelJobRequest;
import io.ensemblescope.api.v1.Checkpoint;
import io.ensemblescope.api.v1.CheckpointFile;
import io.ensemblescope.api.v1.GetJobRequest;
import io.ensemblescope.api.v1.Job;
import io.ensemblescope.api.v1.ListCheckpointsRequest;
import io.ensemblescope.api.v1.ListCheckpointsResponse;
import io.ensemblescope.api.v1.ListJobsRequest;
import io.ensemblescope.api.v1.ListJobsResponse;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.rpc.Statuses;
import io.ensemblescope.rpc.UnaryCalls;
import io.ensemblescope.trainer.jobs.JobManager;
import io.ensemblescope.trainer.request.TrainerProtos;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.time.Instant;

/** Thin gRPC adapter over {@link JobManager} and the checkpoint store. */
public final class TrainerServiceImpl extends TrainerServiceGrpc.TrainerServiceImplBase {
    private final JobManager jobs;
    private final CheckpointStore store;

    public TrainerServiceImpl(JobManager jobs, CheckpointStore store) {
        this.jobs = jobs;
        this.store = store;
    }

    @Override
    public void startTraining(TrainRequest request, StreamObserver<TrainEvent> observer) {
        ServerCallStreamObserver<TrainEvent> call = (ServerCallStreamObserver<TrainEvent>) observer;
        try {
            jobs.submit(request, event -> {
                // Cancelling the call stops the stream, not the job (CancelJob does that).
                synchronized (call) {
                    if (call.isCancelled()) {
                        return;
                    }
                    call.onNext(event);
                    if (isTerminal(event)) {
                        call.onCompleted();
                    }
                }
            });
        } catch (Exception e) {
            observer.onError(Statuses.toStatus(e));
        }
    }

    private static boolean isTerminal(TrainEvent e) {
        return e.getKind() == TrainEvent.Kind.COMPLETED || e.getKind() == TrainEvent.Kind.FAILED
                || e.getKind() == TrainEvent.Kind.CANCELLED;
    }

    @Override
    public void getJob(GetJobRequest request, StreamObserver<Job> observer) {
        UnaryCalls.answer(observer, () -> jobs.get(request.getJobId()));
    }

    @Override
    public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> observer) {
        UnaryCalls.answer(observer, () -> ListJobsResponse.newBuilder().addAllJobs(jobs.list()).build());
    }

    @Override
    public void cancelJob(CancelJobRequest request, StreamObserver<Job> observer) {
        UnaryCalls.answer(observer, () -> jobs.cancel(request.getJobId()));
    }

    @Override
    public void listCheckpoints(ListCheckpointsRequest request, StreamObserver<ListCheckpointsResponse> observer) {
        UnaryCalls.answer(observer, () -> {
            ListCheckpointsResponse.Builder b = ListCheckpointsResponse.newBuilder();
            for (Manifest m : store.list(request.getModelName())) {
                b.addCheckpoints(toProto(m));
            }
            return b.build();
        });
    }

    @Override
    public void getCheckpoint(ModelRef request, StreamObserver<Checkpoint> observer) {
        UnaryCalls.answer(observer, () -> toProto(store.manifest(CheckpointStore.checkName(request.getName(), "name"),
                CheckpointStore.checkVersion(request.getVersion(), "version"))));
    }

    private Checkpoint toProto(Manifest m) throws java.io.IOException {
        Checkpoint.Builder b = Checkpoint.newBuilder()
                .setRef(ModelRef.newBuilder().setName(m.name()).setVersion(m.version()))
                .setMethod(TrainerProtos.toProto(m.network().method()))
                .setMembers(m.network().members())
                .setArchitecture(m.network().architecture())
                .setManifestJson(Files.readString(store.versionDir(m).resolve(CheckpointStore.MANIFEST)))
                .setCreatedMs(Instant.parse(m.createdAt()).toEpochMilli())
                .setValidationAccuracy(m.metrics().getOrDefault("validation_accuracy", Double.NaN).floatValue());
        for (Manifest.FileEntry f : m.files()) {
            b.addFiles(CheckpointFile.newBuilder().setPath(f.path()).setSize(f.size()).setSha256(f.sha256()));
        }
        return b.build();
    }
}
