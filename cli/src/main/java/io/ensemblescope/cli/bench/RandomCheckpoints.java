package io.ensemblescope.cli.bench;

import ai.djl.Device;
import com.google.protobuf.ByteString;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.routines.CheckpointAssembler;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Checkpoints with their seeded He-normal initial weights, untrained: serving latency does not depend on the
 * weights, and the benchmark then needs no dataset (it runs offline on a bare GPU machine). Requests carry random
 * UINT8 pixels.
 */
final class RandomCheckpoints {
    static final int CLASSES = 10;

    private RandomCheckpoints() {}

    /** Commits {@code name} as an untrained network of {@code spec}. */
    static Manifest commit(CheckpointStore store, String name, NetworkSpec spec) throws IOException {
        long seed = 7;
        Path dir = Files.createTempDirectory("escope-bench-" + name);
        List<Path> params = new ArrayList<>();
        long[] input;
        try (EnsembleNetwork net = EnsembleNetwork.create(spec, CLASSES, Device.cpu(), seed)) {
            input = net.architecture().inputShape();
            for (int i = 0; i < spec.replicas(); i++) {
                Path p = dir.resolve(Manifest.replicaFile(i));
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p)))) {
                    net.saveReplica(i, out);
                }
                params.add(p);
            }
        }
        float[] mean = new float[(int) input[0]];
        float[] std = new float[mean.length];
        Arrays.fill(mean, 0.5f);
        Arrays.fill(std, 0.25f);
        List<Long> seeds = IntStream.range(0, spec.replicas()).mapToObj(i -> seed + i).toList();
        Manifest draft = new Manifest(Manifest.FORMAT_VERSION, name, "", spec, CLASSES,
                IntStream.range(0, CLASSES).mapToObj(i -> "class" + i).toList(), input, mean, std,
                Map.of("name", "untrained"), Map.of(), seeds, List.of(), Map.of(), List.of(), Instant.now().toString(),
                CheckpointAssembler.CODE_VERSION);
        return store.commit(draft, params);
    }

    /** B random images of {@code sample} shape as raw UINT8 pixels. */
    static PredictRequest request(String model, long[] sample, int batch) {
        int size = Math.toIntExact(Arrays.stream(sample).reduce(batch, Math::multiplyExact));
        byte[] px = new byte[size];
        new Random(batch).nextBytes(px);
        Tensor.Builder t = Tensor.newBuilder().addShape(batch).setDtype(DType.UINT8).setRawData(ByteString.copyFrom(px));
        Arrays.stream(sample).forEach(t::addShape);
        return PredictRequest.newBuilder().setModel(ModelRef.newBuilder().setName(model)).setInput(t)
                .setRequestId(model + "-" + batch).build();
    }
}
