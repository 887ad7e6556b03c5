package io.ensemblescope.cli.loadtest;

import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.Timings;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A real gRPC InferenceService (in-process transport, direct executors) whose Predict follows a script by arrival
 * number: answer now, hold the call, answer every held call (then this one), or fail with a status. Answers carry
 * fixed Timings (queue 5 µs, compute 7 µs, total 20 µs).
 */
final class ScriptedInference extends InferenceServiceGrpc.InferenceServiceImplBase implements AutoCloseable {
    static final Timings TIMINGS = Timings.newBuilder().setQueueMicros(5).setComputeMicros(7).setTotalMicros(20)
            .build();

    /** What the server does with one request. */
    sealed interface Action permits Answer, Hold, ReleaseAll, Fail {}

    record Answer() implements Action {}

    record Hold() implements Action {}

    record ReleaseAll() implements Action {}

    record Fail(Status.Code code) implements Action {}

    private final LongFunction<Action> script;
    private final AtomicLong arrivals = new AtomicLong();
    private final List<StreamObserver<PredictResponse>> held = new ArrayList<>();
    private final ConcurrentHashMap<Status.Code, AtomicLong> answered = new ConcurrentHashMap<>();
    private final Server server;
    final ManagedChannel channel;
    volatile long holdStartedNanos;
    volatile long releasedNanos;

    ScriptedInference(LongFunction<Action> script) throws IOException {
        this.script = script;
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(this).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
        long n = arrivals.getAndIncrement();
        Action action = script.apply(n);
        if (action instanceof Hold) {
            synchronized (held) {
                if (held.isEmpty()) {
                    holdStartedNanos = System.nanoTime();
                }
                held.add(out);
            }
            return;
        }
        if (action instanceof ReleaseAll) {
            List<StreamObserver<PredictResponse>> release;
            synchronized (held) {
                releasedNanos = System.nanoTime();
                release = new ArrayList<>(held);
                held.clear();
            }
            release.forEach(this::answer);
        }
        if (action instanceof Fail f) {
            count(f.code());
            out.onError(f.code().toStatus().withDescription("scripted").asRuntimeException());
            return;
        }
        answer(out);
    }

    private void answer(StreamObserver<PredictResponse> out) {
        count(Status.Code.OK);
        out.onNext(PredictResponse.newBuilder().setTimings(TIMINGS).build());
        out.onCompleted();
    }

    private void count(Status.Code code) {
        answered.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
    }

    long answered(Status.Code code) {
        AtomicLong n = answered.get(code);
        return n == null ? 0 : n.get();
    }

    long arrivals() {
        return arrivals.get();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
