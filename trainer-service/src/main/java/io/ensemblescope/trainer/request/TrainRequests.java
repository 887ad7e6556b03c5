package io.ensemblescope.trainer.request;

import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import io.ensemblescope.core.models.Architecture;
import io.ensemblescope.core.models.Architectures;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.routines.FastWeightGroup;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.OptimizerConfig;
import io.ensemblescope.core.routines.TrainConfig;
import io.ensemblescope.core.text.ClientText;
import io.ensemblescope.datasets.DataDirectories;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validates a TrainRequest and turns it into core's JobSpec. Every rejection is an IllegalArgumentException whose
 * message starts with the offending field, which the gRPC layer returns as INVALID_ARGUMENT.
 */
public final class TrainRequests {
    static final int DEFAULT_MC_SAMPLES = 16;
    static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    private TrainRequests() {}

    public static JobSpec toJobSpec(TrainRequest r, DatasetCatalog catalog) {
        CheckpointStore.checkName(r.getModelName(), "model_name");
        Method method = TrainerProtos.method(r.getMethod());
        int members = method.isEnsemble() ? r.getMembers() : 1;
        if (method.isEnsemble() && members < 2) {
            throw new IllegalArgumentException("members: must be >= 2 for " + method + ", got " + r.getMembers());
        }
        if (r.getEpochs() <= 0) {
            throw new IllegalArgumentException("epochs: must be > 0, got " + r.getEpochs());
        }
        if (r.getBatchSize() <= 0) {
            throw new IllegalArgumentException("batch_size: must be > 0, got " + r.getBatchSize());
        }
        if (r.getMcSamples() < 0) {
            throw new IllegalArgumentException("mc_samples: must be > 0, got " + r.getMcSamples());
        }
        dataset(r.getDataset(), catalog);
        Architecture arch;
        try {
            arch = Architectures.get(r.getArchitecture(), 10);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("architecture: unknown " + ClientText.quote(r.getArchitecture())
                    + ", known: " + Architectures.names());
        }
        BatchEnsembleOptions be = method == Method.BATCH_ENSEMBLE ? batchEnsemble(r, members, arch) : null;
        int mc = r.getMcSamples() == 0 ? DEFAULT_MC_SAMPLES : r.getMcSamples();
        NetworkSpec network;
        try {
            network = new NetworkSpec(r.getArchitecture(), method, members, r.getDropoutRate(), mc, be);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("dropout_rate must", "dropout_rate: must"), e);
        }
        double fraction = r.getValidationFraction() == 0 ? DEFAULT_VALIDATION_FRACTION : r.getValidationFraction();
        if (!(fraction > 0 && fraction <= 0.5)) {
            throw new IllegalArgumentException("validation_fraction: must be in (0, 0.5], got " + fraction);
        }
        OptimizerConfig optimizer = optimizer(r.getOptimizer());
        if (be != null) {
            optimizer = optimizer.withFastWeights(fastWeightGroup(r.getBatchEnsemble()));
        }
        TrainConfig config = new TrainConfig(optimizer, r.getLrSchedule().getMilestonesList()
                .stream().mapToInt(Integer::intValue).toArray(),
                r.getLrSchedule().getGamma() == 0 ? 1f : r.getLrSchedule().getGamma(), r.getEpochs(),
                r.getBatchSize(), r.getEarlyStoppingPatience(),
                TrainerProtos.splitBatch(r.getBatchEnsemble().getBatchMode()),
                r.getArchitecture().startsWith("resnet"));
        return new JobSpec(r.getModelName(), network, config, describe(r.getDataset()), fraction,
                JobSpec.expandSeeds(r.getSeedsList(), network.replicas()));
    }

    /**
     * The training split the request names; {@code dataset.path} names a data directory of this trainer's
     * environment ({@link DataDirectories#ENV}, which its member processes and Jobs share), never a path.
     */
    public static DatasetRequest dataset(DatasetSpec d, DatasetCatalog catalog) {
        return dataset(d, catalog, DataDirectories.fromEnvironment(System::getenv));
    }

    static DatasetRequest dataset(DatasetSpec d, DatasetCatalog catalog, DataDirectories dirs) {
        if (!catalog.names().contains(d.getName())) {
            throw new IllegalArgumentException("dataset.name: unknown " + ClientText.quote(d.getName()) + ", known: "
                    + catalog.names());
        }
        DatasetRequest request = new DatasetRequest(d.getName(), TrainerProtos.subset(d.getSubset()), d.getOffset(),
                d.getLimit(), d.getShift(), dirs.resolve(d.getPath()).orElse(null), d.getSeed());
        catalog.shifts().parse(request.shift()); // an unknown shift is refused now, not when the job runs
        return request;
    }

    private static BatchEnsembleOptions batchEnsemble(TrainRequest r, int members, Architecture arch) {
        var o = r.getBatchEnsemble();
        int rank = o.getRank() == 0 ? 1 : o.getRank();
        if (rank < 1 || rank > arch.maxRank()) {
            throw new IllegalArgumentException("batch_ensemble.rank: must be in [1, " + arch.maxRank()
                    + "] (min(in, out) of the smallest layer of " + arch.name() + "), got " + o.getRank());
        }
        if (!(o.getInitStd() >= 0 && Float.isFinite(o.getInitStd()))) {
            throw new IllegalArgumentException("batch_ensemble.init_std: must be finite and >= 0, got "
                    + o.getInitStd());
        }
        var init = TrainerProtos.fastWeightInit(o.getInit());
        float std = o.getInitStd() == 0 ? 0.5f : o.getInitStd();
        return new BatchEnsembleOptions(members, rank, init, std, o.getMember0Unperturbed());
    }

    /** BatchEnsemble's fast weights as an optimizer parameter group: unset fields train them like every weight. */
    private static FastWeightGroup fastWeightGroup(io.ensemblescope.api.v1.BatchEnsembleOptions o) {
        float multiplier = o.getFastWeightLrMultiplier() == 0 ? 1f : o.getFastWeightLrMultiplier();
        if (!(multiplier > 0 && multiplier <= FastWeightGroup.MAX_MULTIPLIER)) {
            throw new IllegalArgumentException("batch_ensemble.fast_weight_lr_multiplier: must be finite and in (0, "
                    + FastWeightGroup.MAX_MULTIPLIER + "], got " + o.getFastWeightLrMultiplier());
        }
        return new FastWeightGroup(multiplier, !o.hasDecayFastWeights() || o.getDecayFastWeights());
    }

    private static OptimizerConfig optimizer(OptimizerSpec o) {
        OptimizerConfig.Kind kind = TrainerProtos.optimizer(o.getKind());
        float lr = o.getLearningRate() == 0 ? 1e-3f : o.getLearningRate();
        try {
            return new OptimizerConfig(kind, lr, o.getMomentum(), o.getNesterov(), o.getWeightDecay());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst(" must", ": must"), e);
        }
    }

    private static Map<String, Object> describe(DatasetSpec d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.getName());
        m.put("subset", TrainerProtos.subset(d.getSubset()) == Subset.TEST ? "test" : "train");
        m.put("offset", d.getOffset());
        m.put("limit", d.getLimit());
        m.put("shift", d.getShift());
        return m;
    }
}
