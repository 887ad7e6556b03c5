package io.ensemblescope.datasets.catalog;

import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Shift;
import io.ensemblescope.datasets.ShiftFactory;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.datasets.corrupt.Cifar10CGenerator;
import io.ensemblescope.datasets.corrupt.Cifar10CShift;
import io.ensemblescope.datasets.corrupt.Corruptions;
import io.ensemblescope.datasets.corrupt.FrostDirectory;
import io.ensemblescope.datasets.ood.GrayscaleTo32;
import io.ensemblescope.datasets.ood.HeldOutClassSplit;
import io.ensemblescope.datasets.ood.SvhnReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The CIFAR study's evaluation sets, built on the standard datasets: SVHN (user-supplied), MNIST and Fashion-MNIST as
 * 3×32×32 OOD fallbacks, CIFAR-10 split by class (0–5 in-distribution, 6–9 OOD), and the CIFAR-10-C corruptions as
 * shifts {@code cifar10c-<corruption>-<severity>}. Every OOD set carries CIFAR-10's normalization, because it is fed
 * to models trained on CIFAR-10.
 */
public final class RobustnessDatasets {
    public static final String SVHN = "svhn";
    public static final String SVHN_ENV = "ESCOPE_SVHN_DIR";
    public static final String SVHN_TEST_FILE = "test_32x32.mat";
    public static final String SVHN_TRAIN_FILE = "train_32x32.mat";
    public static final String MNIST_32 = GrayscaleTo32.MNIST_NAME;
    public static final String FASHION_MNIST_32 = GrayscaleTo32.FASHION_MNIST_NAME;
    public static final String CIFAR10_HOLDOUT_IN = "cifar10-holdout-in";
    public static final String CIFAR10_HOLDOUT_OOD = "cifar10-holdout-ood";

    private RobustnessDatasets() {
    }

    /**
     * Registers the datasets above and the {@code cifar10c-} shift, with SVHN and the frost textures located through
     * the environment.
     */
    public static void registerAll(DatasetCatalog catalog) {
        registerAll(catalog, System::getenv);
    }

    static void registerAll(DatasetCatalog catalog, Function<String, String> environment) {
        catalog.register(SVHN, (subset, dir) -> readSvhn(subset, dir, environment.apply(SVHN_ENV)));
        catalog.register(MNIST_32, (subset, dir) -> toCifarInput(
                GrayscaleTo32.mnist(catalog.split(StandardDatasets.MNIST, subset, dir)), subset));
        catalog.register(FASHION_MNIST_32, (subset, dir) -> toCifarInput(
                GrayscaleTo32.fashionMnist(catalog.split(StandardDatasets.FASHION_MNIST, subset, dir)), subset));
        catalog.register(CIFAR10_HOLDOUT_IN, (subset, dir) -> HeldOutClassSplit.cifar10Default(
                catalog.split(StandardDatasets.CIFAR10, subset, dir)).inDistribution()
                .renamed(CIFAR10_HOLDOUT_IN + "-" + subsetName(subset)));
        catalog.register(CIFAR10_HOLDOUT_OOD, (subset, dir) -> HeldOutClassSplit.cifar10Default(
                catalog.split(StandardDatasets.CIFAR10, subset, dir)).outOfDistribution()
                .renamed(CIFAR10_HOLDOUT_OOD + "-" + subsetName(subset)));
        catalog.shifts().register(Cifar10CShift.PREFIX, new LazyCifar10C(environment));
    }

    /** How to supply SVHN, for error messages and help texts. */
    public static String howToSupplySvhn() {
        return "SVHN is not redistributed here: download " + SVHN_TEST_FILE + " (and " + SVHN_TRAIN_FILE
                + " for the train split) from http://ufldl.stanford.edu/housenumbers/, then pass their directory as"
                + " the dataset path or set " + SVHN_ENV + "=<dir>";
    }

    private static ImageDataset readSvhn(Subset subset, Path userDir, String envDir) throws IOException {
        Path dir = userDir != null ? userDir : (envDir == null || envDir.isBlank() ? null : Path.of(envDir));
        String file = subset == Subset.TRAIN ? SVHN_TRAIN_FILE : SVHN_TEST_FILE;
        if (dir == null || !Files.isRegularFile(dir.resolve(file))) {
            String where = dir == null ? "no directory given" : dir.resolve(file) + " not found";
            throw new IllegalStateException("dataset 'svhn' is not available (" + where + "). "
                    + howToSupplySvhn());
        }
        ImageDataset svhn = SvhnReader.read(dir.resolve(file));
        return svhn.withNormalization(StandardDatasets.CIFAR10_NORM).renamed(SVHN + "-" + subsetName(subset));
    }

    private static ImageDataset toCifarInput(ImageDataset converted, Subset subset) {
        return converted.withNormalization(StandardDatasets.CIFAR10_NORM)
                .renamed(converted.name() + "-" + subsetName(subset));
    }

    private static String subsetName(Subset subset) {
        return subset == Subset.TRAIN ? "train" : "test";
    }

    /**
     * The CIFAR-10-C shift family, its generator (and frost textures) created on first use; frost without textures
     * fails saying how to supply them.
     */
    private static final class LazyCifar10C implements ShiftFactory {
        private final Function<String, String> environment;
        private volatile Cifar10CGenerator generator;

        LazyCifar10C(Function<String, String> environment) {
            this.environment = environment;
        }

        @Override
        public Shift create(String argument) {
            Cifar10CGenerator g = generator();
            if (argument.startsWith(Corruptions.FROST + "-") && g.frostUnavailable().isPresent()) {
                throw new IllegalStateException("dataset.shift: " + Cifar10CShift.PREFIX + argument
                        + " needs the frost textures (" + g.frostUnavailable().get() + "): "
                        + FrostDirectory.howToSupply());
            }
            return Cifar10CShift.factory(g).create(argument);
        }

        private Cifar10CGenerator generator() {
            Cifar10CGenerator g = generator;
            if (g == null) {
                synchronized (this) {
                    if (generator == null) {
                        generator = new Cifar10CGenerator(
                                FrostDirectory.locate(System::getProperty, environment).orElse(null),
                                Runtime.getRuntime().availableProcessors());
                    }
                    g = generator;
                }
            }
            return g;
        }
    }
}
