package io.ensemblescope.cli.loadtest;

import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.Timings;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Unary calls of one method, round-robin over the connections, each with the per-request deadline: Predict, or the
 * grpc.health.v1 Check (a near-empty RPC, so a run against it measures what the generator and the transport can do).
 */
final class UnarySender<Q, R> implements Sender {
    private final List<? extends Channel> channels;
    private final MethodDescriptor<Q, R> method;
    private final LongFunction<Q> requests;
    private final Function<R, Timings> timings;
    private final long timeoutNanos;
    private final Context.CancellableContext context = Context.current().withCancellation();

    UnarySender(List<? extends Channel> channels, MethodDescriptor<Q, R> method, LongFunction<Q> requests,
                Function<R, Timings> timings, long timeoutNanos) {
        this.channels = List.copyOf(channels);
        this.method = method;
        this.requests = requests;
        this.timings = timings;
        this.timeoutNanos = timeoutNanos;
    }

    static UnarySender<PredictRequest, PredictResponse> predict(List<? extends Channel> channels, RequestPool pool,
                                                                long timeoutNanos) {
        return new UnarySender<>(channels, InferenceServiceGrpc.getPredictMethod(), pool::get,
                PredictResponse::getTimings, timeoutNanos);
    }

    static UnarySender<HealthCheckRequest, HealthCheckResponse> health(List<? extends Channel> channels,
                                                                       long timeoutNanos) {
        HealthCheckRequest check = HealthCheckRequest.getDefaultInstance();
        return new UnarySender<>(channels, HealthGrpc.getCheckMethod(), i -> check, r -> null, timeoutNanos);
    }

    @Override
    public void send(long index, Completion done) {
        Channel channel = channels.get((int) (index % channels.size()));
        Context previous = context.attach(); // calls made here are cancelled by close()
        try {
            ClientCalls.asyncUnaryCall(channel.newCall(method,
                    CallOptions.DEFAULT.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)), requests.apply(index),
                    new StreamObserver<R>() {
                        private R response;

                        @Override
                        public void onNext(R value) {
                            response = value;
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.completed(null, Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            done.completed(timings.apply(response), Status.OK);
                        }
                    });
        } catch (RuntimeException e) {
            done.completed(null, Status.fromThrowable(e)); // e.g. a request the channel refused outright
        } finally {
            context.detach(previous);
        }
    }

    @Override
    public void close() {
        context.cancel(null);
    }
}
