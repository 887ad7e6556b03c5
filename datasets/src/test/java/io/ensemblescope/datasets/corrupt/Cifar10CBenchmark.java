package io.ensemblescope.datasets.corrupt;

import io.ensemblescope.datasets.ImageDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times every corruption at one severity on N images and projects the time for the CIFAR-10 test set (10,000 images)
 * × all corruptions. Synthetic images are smooth random gradients plus texture (not flat, so blurs and JPEG do real
 * work). Usage: {@code Cifar10CBenchmark [n=1000] [threads=2] [severity=5] [frostDir=../shared/data/cifar10c-frost]}.
 */
public final class Cifar10CBenchmark {
    private static final int TEST_SET = 10_000;

    private Cifar10CBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int severity = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path frostDir = Path.of(args.length > 3 ? args[3] : "../shared/data/cifar10c-frost");
        ImageDataset data = synthetic(n, 7L);
        Cifar10CGenerator gen = new Cifar10CGenerator(frostDir, threads);
        GenerationReport plan = gen.plan(Corruptions.ALL);
        // warm-up: JIT every corruption on a small slice first
        ImageDataset warm = data.slice(0, Math.min(n, 200));
        for (String c : plan.generated()) {
            gen.corrupt(warm, c, severity, 1L);
        }
        List<String> rows = new ArrayList<>();
        double totalSeconds = 0;
        for (String c : plan.generated()) {
            long t0 = System.nanoTime();
            gen.corrupt(data, c, severity, 2L);
            double s = (System.nanoTime() - t0) / 1e9;
            totalSeconds += s;
            rows.add(String.format(Locale.ROOT, "| %s | %.0f | %.1f |", c, n / s, s * TEST_SET / n));
        }
        System.out.printf(Locale.ROOT, "CIFAR-10-C generation: N=%d images, severity %d, %d threads, %d cores%n", n,
                severity, threads, Runtime.getRuntime().availableProcessors());
        System.out.println("| corruption | images/s | projected s for 10,000 |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "| **all %d** | %.0f | %.1f |%n", plan.generated().size(),
                n * plan.generated().size() / totalSeconds, totalSeconds * TEST_SET / n);
        plan.skipped().forEach((k, v) -> System.out.println("skipped " + k + ": " + v));
    }

    /** Deterministic textured RGB test images: a random colour gradient plus per-pixel noise. */
    static ImageDataset synthetic(int n, long seed) {
        int side = Cifar10CGenerator.SIDE;
        int plane = side * side;
        byte[] px = new byte[n * 3 * plane];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                double a = rng.nextDouble(40, 200);
                double gx = rng.nextDouble(-3, 3);
                double gy = rng.nextDouble(-3, 3);
                for (int p = 0; p < plane; p++) {
                    double v = a + gx * (p % side) + gy * (p / side) + rng.nextDouble(-20, 20);
                    px[(i * 3 + c) * plane + p] = (byte) Math.max(0, Math.min(255, (int) v));
                }
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        List<String> names = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");
        return new ImageDataset("synthetic", px, labels, 3, side, side, names, ImageDataset.Normalization.unit(3));
    }
}
