package io.ensemblescope.metrics.service;

import com.google.protobuf.ByteString;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.EvaluationProgress;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.RunEvaluationEvent;
import io.ensemblescope.api.v1.RunEvaluationRequest;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.core.text.ClientText;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.metrics.evaluation.EvaluationSession;
import io.ensemblescope.rpc.Statuses;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * RunEvaluation: reads each dataset through the data source, streams it to the inference service over PredictStream
 * (a few requests in flight), feeds the per-member responses back in sample order into an {@link EvaluationSession},
 * and streams progress after every batch, ending with the report. Runs on its own executor, one thread per call.
 */
public final class EvaluationRunner {
    /** Requests in flight on one PredictStream: enough to keep the server's batcher busy, bounded memory. */
    static final int WINDOW = 4;
    static final int DEFAULT_BATCH = 256;
    static final int MAX_BATCH = 65_536;
    /** Longest wait for the next inference response before giving up. */
    static final long IDLE_TIMEOUT_SECONDS = 300;
    /** Split names label report gauges and request ids: short, plain. */
    static final java.util.regex.Pattern SPLIT_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    private final EvaluationDataSource data;
    private final InferenceChannels channels;
    private final InferenceTargets targets;
    private final EvaluationLimits limits;
    private final MetricsMeters meters;
    private final ExecutorService executor;

    public EvaluationRunner(EvaluationDataSource data, InferenceChannels channels, InferenceTargets targets,
                            EvaluationLimits limits, MetricsMeters meters, ExecutorService executor) {
        this.data = data;
        this.channels = channels;
        this.targets = targets;
        this.limits = limits;
        this.meters = meters;
        this.executor = executor;
    }

    public void run(RunEvaluationRequest request, StreamObserver<RunEvaluationEvent> events) {
        String target;
        try {
            target = validate(request);
        } catch (RuntimeException e) {
            events.onError(Statuses.toStatus(e));
            return;
        }
        ServerCallStreamObserver<RunEvaluationEvent> server = events instanceof ServerCallStreamObserver<?>
                ? (ServerCallStreamObserver<RunEvaluationEvent>) events : null;
        executor.execute(() -> {
            try {
                EvaluationReport report = evaluate(request, target, events, server);
                events.onNext(RunEvaluationEvent.newBuilder().setReport(report).build());
                events.onCompleted();
            } catch (Exception | Error e) {
                // Errors too: the client must get a status rather than wait on a task that died.
                if (server == null || !server.isCancelled()) {
                    events.onError(Statuses.toStatus(e));
                }
            }
        });
    }

    /** Checks the request before any work; returns the inference target to use. */
    String validate(RunEvaluationRequest request) {
        if (request.getModel().getName().isBlank()) {
            throw new IllegalArgumentException("model.name: must not be empty");
        }
        if (request.getDatasetsCount() == 0) {
            throw new IllegalArgumentException("datasets: at least one is needed");
        }
        if (request.getBatchSize() < 0 || request.getBatchSize() > MAX_BATCH) {
            throw new IllegalArgumentException("batch_size: must be in [0, " + MAX_BATCH + "], got "
                    + request.getBatchSize());
        }
        if (request.getMcSamples() < 0) {
            throw new IllegalArgumentException("mc_samples: must be >= 0, got " + request.getMcSamples());
        }
        Set<String> names = new HashSet<>();
        boolean in = false;
        boolean ood = false;
        for (int i = 0; i < request.getDatasetsCount(); i++) {
            EvaluationDataset d = request.getDatasets(i);
            SplitKind kind = d.getSplit().getKind();
            if (kind == SplitKind.SPLIT_KIND_UNSPECIFIED || kind == SplitKind.UNRECOGNIZED) {
                throw new IllegalArgumentException("datasets[" + i + "].split.kind: must be IN_DISTRIBUTION, SHIFTED"
                        + " or OOD");
            }
            if (!SPLIT_NAME.matcher(d.getSplit().getName()).matches() || !names.add(d.getSplit().getName())) {
                throw new IllegalArgumentException("datasets[" + i + "].split.name: must be unique and match "
                        + SPLIT_NAME.pattern() + ", got " + ClientText.quote(d.getSplit().getName()));
            }
            if (d.getDataset().getName().isBlank()) {
                throw new IllegalArgumentException("datasets[" + i + "].dataset.name: must not be empty");
            }
            in |= kind == SplitKind.IN_DISTRIBUTION;
            ood |= kind == SplitKind.OOD;
        }
        if (ood && !in) {
            throw new IllegalStateException("datasets: OOD metrics need an IN_DISTRIBUTION dataset, none was given");
        }
        return targets.resolve(request.getInferenceTarget());
    }

    private EvaluationReport evaluate(RunEvaluationRequest request, String target,
                                      StreamObserver<RunEvaluationEvent> events,
                                      ServerCallStreamObserver<RunEvaluationEvent> server) throws Exception {
        long start = System.nanoTime();
        EvaluationSession session = new EvaluationSession(limits);
        int batch = request.getBatchSize() == 0 ? DEFAULT_BATCH : request.getBatchSize();
        InferenceServiceGrpc.InferenceServiceBlockingV2Stub stub =
                InferenceServiceGrpc.newBlockingV2Stub(channels.channel(target));
        for (EvaluationDataset dataset : request.getDatasetsList()) {
            ImageDataset images = load(dataset);
            new DatasetStream(request, dataset, images, batch, stub, session, events, server).run();
        }
        EvaluationReport report = session.report();
        meters.evaluationTook(System.nanoTime() - start);
        meters.servedReport(report.getModel().getName(), report);
        return report;
    }

    private ImageDataset load(EvaluationDataset dataset) throws IOException {
        ImageDataset images = data.load(dataset.getDataset());
        String split = dataset.getSplit().getName();
        if (images.size() == 0) {
            throw new IllegalArgumentException("datasets[" + split + "]: the dataset has no samples");
        }
        boolean wantsLabels = dataset.getSplit().getKind() != SplitKind.OOD;
        if (wantsLabels && !images.labeled()) {
            throw new IllegalArgumentException("datasets[" + split + "]: a " + dataset.getSplit().getKind()
                    + " split needs labels, the dataset has none");
        }
        return images;
    }

    /** One dataset over one PredictStream, responses reordered into sample order before they are evaluated. */
    private final class DatasetStream {
        private final RunEvaluationRequest request;
        private final EvaluationDataset dataset;
        private final ImageDataset images;
        private final int batch;
        private final int batches;
        private final InferenceServiceGrpc.InferenceServiceBlockingV2Stub stub;
        private final EvaluationSession session;
        private final StreamObserver<RunEvaluationEvent> events;
        private final ServerCallStreamObserver<RunEvaluationEvent> server;

        DatasetStream(RunEvaluationRequest request, EvaluationDataset dataset, ImageDataset images, int batch,
                      InferenceServiceGrpc.InferenceServiceBlockingV2Stub stub, EvaluationSession session,
                      StreamObserver<RunEvaluationEvent> events, ServerCallStreamObserver<RunEvaluationEvent> server) {
            this.request = request;
            this.dataset = dataset;
            this.images = images;
            this.batch = batch;
            this.batches = (images.size() + batch - 1) / batch;
            this.stub = stub;
            this.session = session;
            this.events = events;
            this.server = server;
        }

        /**
         * Runs the stream on this thread through grpc-java's blocking bidi call: writes wait for flow control, reads
         * return responses in arrival order, and either surfaces the inference service's failure as its status.
         */
        void run() throws Exception {
            BlockingClientCall<PredictRequest, PredictResponse> call = stub.predictStream();
            try {
                stream(call);
                call.halfClose();
            } catch (StatusException e) {
                call.cancel("evaluation failed", e);
                throw ownCredentials(e);
            } catch (Exception | Error e) {
                call.cancel("evaluation failed", e);
                throw e;
            }
        }

        /** The inference service refusing this service's credentials is not the caller's status: say whose. */
        private static Exception ownCredentials(StatusException e) {
            Status.Code code = e.getStatus().getCode();
            if (code != Status.Code.UNAUTHENTICATED && code != Status.Code.PERMISSION_DENIED) {
                return e;
            }
            return new IllegalStateException("inference: the inference service refused this metrics service's"
                    + " credentials (--inference-token-file, --inference-tls-*): " + code + " "
                    + e.getStatus().getDescription(), e);
        }

        private void stream(BlockingClientCall<PredictRequest, PredictResponse> call) throws Exception {
            Map<Integer, PredictResponse> early = new HashMap<>();
            int sent = 0;
            int fed = 0;
            while (fed < batches) {
                while (sent < batches && sent - fed < WINDOW) {
                    // false: the stream already ended; the read below says how.
                    if (!call.write(request(sent), IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        break;
                    }
                    sent++;
                }
                if (server != null && server.isCancelled()) {
                    throw new CancellationException("RunEvaluation cancelled by the client");
                }
                PredictResponse response = next(call);
                int index = indexOf(response.getRequestId(), sent, fed, early);
                early.put(index, response);
                while (early.containsKey(fed)) {
                    feed(fed, early.remove(fed));
                    fed++;
                }
            }
        }

        private PredictResponse next(BlockingClientCall<PredictRequest, PredictResponse> call) throws Exception {
            PredictResponse response;
            try {
                response = call.read(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new TimeoutException("inference: no response for " + IDLE_TIMEOUT_SECONDS + " s");
            }
            if (response == null) {
                throw new IllegalStateException("inference: PredictStream ended before every batch was answered");
            }
            return response;
        }

        private int indexOf(String requestId, int sent, int fed, Map<Integer, PredictResponse> early) {
            String prefix = dataset.getSplit().getName() + "/";
            int index = -1;
            if (requestId.startsWith(prefix)) {
                try {
                    index = Integer.parseInt(requestId.substring(prefix.length()));
                } catch (NumberFormatException e) {
                    index = -1;
                }
            }
            if (index < fed || index >= sent || early.containsKey(index)) {
                throw new IllegalStateException("inference: unexpected request_id " + ClientText.quote(requestId));
            }
            return index;
        }

        private PredictRequest request(int index) {
            int from = index * batch;
            int n = Math.min(batch, images.size() - from);
            int per = images.imageBytes();
            Tensor input = Tensor.newBuilder()
                    .addShape(n).addShape(images.channels()).addShape(images.height()).addShape(images.width())
                    .setDtype(DType.UINT8)
                    .setRawData(ByteString.copyFrom(images.pixels(), from * per, n * per))
                    .build();
            return PredictRequest.newBuilder()
                    .setModel(request.getModel())
                    .setInput(input)
                    .setMcSamples(request.getMcSamples())
                    .setRequestId(dataset.getSplit().getName() + "/" + index)
                    .build();
        }

        private void feed(int index, PredictResponse response) {
            int from = index * batch;
            int n = Math.min(batch, images.size() - from);
            if (response.getMemberProbabilities().getBatch() != n) {
                throw new IllegalStateException("inference: response for batch " + index + " holds "
                        + response.getMemberProbabilities().getBatch() + " samples, asked for " + n);
            }
            EvaluationChunk.Builder chunk = EvaluationChunk.newBuilder()
                    .setEvaluationId(request.getEvaluationId())
                    .setSplit(dataset.getSplit())
                    .setProbabilities(response.getMemberProbabilities())
                    .setModel(response.hasServed() ? response.getServed() : request.getModel())
                    .setMethod(response.getMethod());
            if (dataset.getSplit().getKind() != SplitKind.OOD) {
                for (int j = from; j < from + n; j++) {
                    chunk.addLabels(images.label(j));
                }
            }
            session.accept(chunk.build());
            meters.samplesEvaluated(n);
            events.onNext(RunEvaluationEvent.newBuilder().setProgress(EvaluationProgress.newBuilder()
                    .setSplit(dataset.getSplit().getName())
                    .setDone((long) from + n)
                    .setTotal(images.size())).build());
        }
    }
}
