package io.ensemblescope.cli.loadtest;

import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests over long-lived PredictStream calls, round-robin over {@code streams} streams (spread over the
 * connections), matched to their answers by request_id since answers may come out of order. The server fails a whole
 * stream when one request fails, so every request pending on it ends with that status; the next send opens a new
 * stream. The server reads at most its window (16) ahead per stream; gRPC flow control holds the rest, and that
 * wait is part of the measured latency.
 */
final class StreamSender implements Sender {
    private final List<? extends Channel> channels;
    private final RequestPool requests;
    private final Stream[] streams;

    StreamSender(List<? extends Channel> channels, RequestPool requests, int streams) {
        this.channels = List.copyOf(channels);
        this.requests = requests;
        this.streams = new Stream[streams];
    }

    @Override
    public void send(long index, Completion done) {
        int slot = (int) (index % streams.length);
        // A stream that ended between the pick and the send is replaced once; a fresh one that ended too has failed.
        for (int attempt = 0; attempt < 2; attempt++) {
            if (stream(slot).send(index, done)) {
                return;
            }
        }
        done.completed(null, Status.UNAVAILABLE.withDescription("PredictStream ended as it opened"));
    }

    private Stream stream(int slot) {
        synchronized (streams) {
            Stream s = streams[slot];
            if (s == null || s.ended) {
                s = new Stream(channels.get(slot % channels.size()));
                streams[slot] = s;
            }
            return s;
        }
    }

    @Override
    public void close() {
        List<Stream> open = new ArrayList<>();
        synchronized (streams) {
            for (Stream s : streams) {
                if (s != null) {
                    open.add(s);
                }
            }
        }
        open.forEach(Stream::cancel);
    }

    /** One PredictStream call and the requests pending on it. */
    private final class Stream implements ClientResponseObserver<PredictRequest, PredictResponse> {
        private final Map<String, Completion> pending = new ConcurrentHashMap<>();
        private ClientCallStreamObserver<PredictRequest> out;
        private volatile boolean ended;

        Stream(Channel channel) {
            InferenceServiceGrpc.newStub(channel).predictStream(this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<PredictRequest> requestStream) {
            out = requestStream;
        }

        /**
         * Sends under the lock that ending takes, so a request is pending on a live stream or fails with it; false
         * when the stream has already ended.
         */
        synchronized boolean send(long index, Completion done) {
            if (ended) {
                return false;
            }
            String id = Long.toString(index);
            pending.put(id, done);
            try {
                out.onNext(requests.get(index).toBuilder().setRequestId(id).build());
            } catch (RuntimeException e) {
                pending.remove(id);
                done.completed(null, Status.fromThrowable(e));
            }
            return true;
        }

        @Override
        public void onNext(PredictResponse response) {
            Completion c = pending.remove(response.getRequestId());
            if (c != null) {
                c.completed(response.getTimings(), Status.OK);
            }
        }

        @Override
        public void onError(Throwable t) {
            end(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            end(Status.INTERNAL.withDescription("stream completed with requests pending"));
        }

        void cancel() {
            out.cancel("load test over", null);
        }

        private synchronized void end(Status status) {
            ended = true;
            for (String id : List.copyOf(pending.keySet())) {
                Completion c = pending.remove(id);
                if (c != null) {
                    c.completed(null, status);
                }
            }
        }
    }
}
