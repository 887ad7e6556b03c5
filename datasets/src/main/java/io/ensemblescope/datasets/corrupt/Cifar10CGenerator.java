package io.ensemblescope.datasets.corrupt;

import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.weather.FrostTextures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

/**
 * Regenerates CIFAR-10-C from a clean 3×32×32 dataset, in parallel over images. Each image gets its own random stream
 * seeded from (seed, corruption, severity, image index), so the bytes depend on the seed only, never on the thread
 * count or scheduling. Output pixels are clipped and truncated to uint8 as the reference's {@code np.uint8} does.
 */
public final class Cifar10CGenerator {
    public static final int SIDE = 32;

    private final int threads;
    private final FrostTextures frost;
    private final String frostUnavailable;

    /**
     * @param frostDir directory holding frost1.png … frost5.jpg, or null; frost is skipped (and reported) without it
     * @param threads  worker threads, at least 1
     */
    public Cifar10CGenerator(Path frostDir, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        Optional<String> reason = FrostTextures.unavailableReason(frostDir);
        this.frostUnavailable = reason.orElse(null);
        this.frost = reason.isEmpty() ? FrostTextures.load(frostDir) : null;
    }

    /** Why frost would be skipped, or empty when the textures are loaded. */
    public Optional<String> frostUnavailable() {
        return Optional.ofNullable(frostUnavailable);
    }

    /** The corruptions of {@code names} this generator can run, and the skipped ones with their reason. */
    public GenerationReport plan(List<String> names) {
        List<String> ok = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (String n : names) {
            Corruptions.requireKnown(n);
            if (n.equals(Corruptions.FROST) && frost == null) {
                skipped.put(n, frostUnavailable);
            } else {
                ok.add(n);
            }
        }
        return new GenerationReport(ok, skipped);
    }

    /** One corruption at one severity as a new dataset named e.g. {@code cifar10-c/frost-5}. */
    public ImageDataset corrupt(ImageDataset clean, String corruption, int severity, long seed) {
        return corrupt(clean, 0, corruption, severity, seed);
    }

    /**
     * As {@link #corrupt(ImageDataset, String, int, long)} for a slice whose first image has index {@code firstIndex}
     * in its split: image i draws from the stream of index firstIndex + i, so a slice gets exactly the bytes of the
     * same images in the whole split.
     */
    public ImageDataset corrupt(ImageDataset clean, int firstIndex, String corruption, int severity, long seed) {
        byte[] out = new byte[clean.pixels().length];
        corruptInto(clean, firstIndex, corruption, severity, seed,
                (i, img) -> img.writeChwUint8(out, i * clean.imageBytes()));
        return clean.withPixels(clean.name() + "-c/" + corruption + "-" + severity, out);
    }

    /**
     * Runs {@code corruption} at {@code severity} on every image and hands each result to {@code sink} (called
     * concurrently, once per image index).
     */
    public void corruptInto(ImageDataset clean, String corruption, int severity, long seed,
                            BiConsumer<Integer, HwcImage> sink) {
        corruptInto(clean, 0, corruption, severity, seed, sink);
    }

    private void corruptInto(ImageDataset clean, int firstIndex, String corruption, int severity, long seed,
                             BiConsumer<Integer, HwcImage> sink) {
        if (firstIndex < 0) {
            throw new IllegalArgumentException("firstIndex must be >= 0, got " + firstIndex);
        }
        checkShape(clean);
        Corruption.level(severity);
        Corruption c = Corruptions.byName(corruption, frost);
        int n = clean.size();
        byte[] px = clean.pixels();
        int per = clean.imageBytes();
        Runnable work = () -> IntStream.range(0, n).parallel().forEach(i -> {
            HwcImage img = HwcImage.fromChwUint8(px, i * per, 3, SIDE, SIDE);
            SplittableRandom rng = new SplittableRandom(imageSeed(seed, corruption, severity, firstIndex + i));
            sink.accept(i, c.apply(img, severity, rng));
        });
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(work).join();
        } finally {
            pool.shutdown();
        }
    }

    /** The seed of one image's random stream: a SplitMix64-style mix of all four coordinates. */
    public static long imageSeed(long seed, String corruption, int severity, int index) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ corruption.hashCode());
        h = mix(h ^ severity);
        return mix(h ^ index);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void checkShape(ImageDataset d) {
        if (d.channels() != 3 || d.height() != SIDE || d.width() != SIDE) {
            throw new IllegalArgumentException("dataset " + d.name() + ": CIFAR-10-C parameters are defined for 3x32x32"
                    + " images, got " + d.channels() + "x" + d.height() + "x" + d.width());
        }
    }
}
