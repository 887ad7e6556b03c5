package io.ensemblescope.inference.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.GetModelRequest;
import io.ensemblescope.api.v1.ListModelsRequest;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelInfo;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.ModelState;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.internal.testing.StreamRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** ListModels, GetModel, LoadModel, UnloadModel, per-model health, and hot swaps under traffic. */
class ModelLifecycleTest {
    @AutoClose
    private static final ServerHarness server = ServerHarness.cpuDefaults();

    private static ModelRef ref(String name, String version) {
        return ModelRef.newBuilder().setName(name).setVersion(version).build();
    }

    private static ServingStatus health(String service) {
        return HealthGrpc.newBlockingStub(server.channel)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Test
    void listGetLoadUnloadAndHealthPerModel() throws Exception {
        List<ModelInfo> all = server.blocking.listModels(ListModelsRequest.getDefaultInstance()).getModelsList();
        assertEquals(5, all.size(), "every version of every model: " + all);
        ModelInfo mc = server.blocking.getModel(GetModelRequest.newBuilder().setModel(ref("mc", "")).build());
        assertEquals(io.ensemblescope.api.v1.Method.MC_DROPOUT, mc.getMethod());
        assertEquals(TinyCheckpoints.MC_DEFAULT_T, mc.getDefaultMcSamples());
        assertEquals(List.of(1L, 28L, 28L), mc.getInputShapeList());
        assertEquals(10, mc.getClassNamesCount());
        assertEquals(1, mc.getNormalization().getMeanCount());

        ModelInfo loaded = server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref("single", ""))
                .build());
        assertEquals(ModelState.READY, loaded.getState());
        assertEquals("v1", loaded.getRef().getVersion());
        assertEquals(ServingStatus.SERVING, health("single"));
        assertEquals(ServingStatus.SERVING, health("ensemblescope.v1.InferenceService"));

        server.blocking.unloadModel(UnloadModelRequest.newBuilder().setModel(ref("single", "")).build());
        assertEquals(ServingStatus.NOT_SERVING, health("single"));
        assertEquals(ModelState.AVAILABLE, server.blocking.getModel(GetModelRequest.newBuilder()
                .setModel(ref("single", "")).build()).getState());
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> server.blocking.unloadModel(UnloadModelRequest.newBuilder().setModel(ref("single", ""))
                        .build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    @Test
    void hotSwapUnderConcurrentTrafficLosesNoRequest() throws Exception {
        server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref("be", "v1")).build());
        AtomicBoolean swapping = new AtomicBoolean(true);
        Set<String> served = ConcurrentHashMap.newKeySet();
        Map<String, Semaphore> answeredBy = Map.of("v1", new Semaphore(0), "v2", new Semaphore(0));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                int n = 0;
                while (swapping.get() || n < 20) {
                    PredictResponse r = server.blocking.predict(ServerHarness.pixels("be", client * 8, 8));
                    served.add(r.getServed().getVersion());
                    answeredBy.get(r.getServed().getVersion()).release();
                    PredictTest.assertRowsSumToOne(r);
                    n++;
                }
                return n;
            }));
        }
        for (int swap = 0; swap < 6; swap++) {
            String v = swap % 2 == 0 ? "v2" : "v1";
            answeredBy.get(v).drainPermits();
            assertEquals(v, server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref("be", v))
                    .build()).getRef().getVersion());
            // Traffic goes on across the swap: wait for answers from the version just loaded.
            assertTrue(answeredBy.get(v).tryAcquire(4, 30, TimeUnit.SECONDS), "answers from " + v);
        }
        swapping.set(false);
        int total = 0;
        for (Future<Integer> f : done) {
            total += f.get();
        }
        clients.shutdown();
        assertTrue(total >= 80, "requests answered: " + total);
        assertEquals(Set.of("v1", "v2"), served);
        ModelInfo now = server.blocking.getModel(GetModelRequest.newBuilder().setModel(ref("be", "")).build());
        assertEquals("v1", now.getRef().getVersion(), "the last swap wins");
        assertEquals(ModelState.READY, now.getState());
    }

    @Test
    void predictStreamAnswersEveryRequestTaggedAndCoalesces() throws Exception {
        server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref("de", ""))
                .setBatching(io.ensemblescope.api.v1.BatchingOptions.newBuilder().setMaxBatchSize(64)
                        .setMaxQueueDelayMicros(20_000)).build());
        StreamRecorder<PredictResponse> recorder = StreamRecorder.create();
        var requests = server.async.predictStream(recorder);
        int n = 40;
        for (int i = 0; i < n; i++) {
            requests.onNext(ServerHarness.pixels("de", i, 2).toBuilder().setRequestId("r" + i).build());
        }
        requests.onCompleted();
        assertTrue(recorder.awaitCompletion(30, TimeUnit.SECONDS), "stream completed");
        assertNull(recorder.getError());
        assertEquals(n, recorder.getValues().size());
        Set<String> ids = ConcurrentHashMap.newKeySet();
        int maxBatched = 0;
        for (PredictResponse r : recorder.getValues()) {
            ids.add(r.getRequestId());
            assertEquals(2, r.getMemberProbabilities().getBatch());
            maxBatched = Math.max(maxBatched, r.getTimings().getBatchedSamples());
            PredictTest.assertRowsSumToOne(r);
        }
        assertEquals(n, ids.size());
        assertTrue(maxBatched > 2, "some requests shared a forward (largest batch " + maxBatched + ")");
    }

    @Test
    void reflectionListsTheService() throws Exception {
        var call = io.grpc.reflection.v1.ServerReflectionGrpc.newBlockingV2Stub(server.channel).serverReflectionInfo();
        call.write(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
        call.halfClose();
        var services = call.read(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(s -> s.getName()).toList();
        assertTrue(services.contains("ensemblescope.v1.InferenceService"), services.toString());
    }
}
