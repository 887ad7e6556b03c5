package io.ensemblescope.datasets.catalog;

import io.ensemblescope.datasets.DatasetFetcher;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Shift;
import io.ensemblescope.datasets.ShiftRegistry;
import io.ensemblescope.datasets.Subset;
import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The entry point to datasets: {@link #load(DatasetRequest)} returns a slice of a split, optionally shifted. Decoded
 * splits are kept in memory (softly, so the JVM may reclaim them under pressure), so repeated slices cost a copy.
 * Other code adds datasets with {@link #register} and shifts through {@link #shifts()}.
 */
public final class DatasetCatalog {
    private final Map<String, Loader> loaders = new ConcurrentHashMap<>();
    private final ShiftRegistry shifts = ShiftRegistry.withBuiltIns();
    private final Map<Key, SoftReference<ImageDataset>> decoded = new ConcurrentHashMap<>();
    private final Map<Key, Object> decoding = new ConcurrentHashMap<>();

    /** A catalog of the standard datasets fetched through {@code fetcher}, and the robustness sets built on them. */
    public DatasetCatalog(DatasetFetcher fetcher) {
        this(fetcher, System::getenv);
    }

    /** As above, with the robustness sets' directories (SVHN, frost textures) read through {@code environment}. */
    DatasetCatalog(DatasetFetcher fetcher, Function<String, String> environment) {
        StandardDatasets.registerAll(this, fetcher);
        RobustnessDatasets.registerAll(this, environment);
    }

    /** The JVM-wide catalog: user cache, registry clients enabled. */
    public static DatasetCatalog shared() {
        return Shared.INSTANCE;
    }

    /** Loads one whole split of a dataset. */
    @FunctionalInterface
    public interface Loader {
        /**
         * @param userDir a directory holding the dataset's files, or null to find them elsewhere
         */
        ImageDataset load(Subset subset, Path userDir) throws IOException;
    }

    /** Adds a dataset; names are case-insensitive and must be new. */
    public void register(String name, Loader loader) {
        String key = normalize(name);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("dataset name must not be empty");
        }
        if (loaders.putIfAbsent(key, loader) != null) {
            throw new IllegalArgumentException("dataset '" + key + "' is already registered");
        }
    }

    public Set<String> names() {
        return new TreeSet<>(loaders.keySet());
    }

    public ShiftRegistry shifts() {
        return shifts;
    }

    /**
     * The requested samples.
     *
     * @throws IllegalArgumentException naming dataset.name, dataset.offset, dataset.limit or dataset.shift
     * @throws DatasetUnavailableException when no source has the files
     */
    public ImageDataset load(DatasetRequest request) {
        Shift shift = shifts.parse(request.shift());
        ImageDataset full = split(request.name(), request.subset(), request.path());
        int size = full.size();
        if (request.offset() >= size && !(request.offset() == 0 && size == 0)) {
            throw new IllegalArgumentException("dataset.offset " + request.offset() + " is beyond the "
                    + size + " samples of " + full.name());
        }
        int n = request.limit() == 0 ? size - request.offset() : request.limit();
        if ((long) request.offset() + n > size) {
            throw new IllegalArgumentException("dataset.limit " + request.limit() + " from offset "
                    + request.offset() + " exceeds the " + size + " samples of " + full.name());
        }
        ImageDataset slice = request.offset() == 0 && n == size ? full : full.slice(request.offset(), n);
        if (shift == null) {
            return slice;
        }
        return shift.apply(slice, request.offset(), request.seed()).renamed(full.name() + "+" + request.shift());
    }

    /** One whole split, decoded once per catalog while memory allows. */
    public ImageDataset split(String name, Subset subset, Path userDir) {
        String key = normalize(name);
        Loader loader = loaders.get(key);
        if (loader == null) {
            throw new IllegalArgumentException("dataset.name: unknown dataset '" + name + "'; known: "
                    + String.join(", ", names()));
        }
        Key cacheKey = new Key(key, subset, userDir == null ? null : userDir.toAbsolutePath().normalize());
        ImageDataset hit = cached(cacheKey);
        if (hit != null) {
            return hit;
        }
        // One decode per split even when several threads ask at once.
        synchronized (decoding.computeIfAbsent(cacheKey, k -> new Object())) {
            hit = cached(cacheKey);
            if (hit != null) {
                return hit;
            }
            ImageDataset loaded;
            try {
                loaded = loader.load(subset, cacheKey.dir());
            } catch (IOException e) {
                throw new IllegalStateException("dataset '" + key + "' (" + subset + ") could not be read: "
                        + e.getMessage(), e);
            }
            decoded.put(cacheKey, new SoftReference<>(loaded));
            return loaded;
        }
    }

    private ImageDataset cached(Key key) {
        SoftReference<ImageDataset> ref = decoded.get(key);
        return ref == null ? null : ref.get();
    }

    private static String normalize(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    }

    private record Key(String name, Subset subset, Path dir) {
    }

    private static final class Shared {
        static final DatasetCatalog INSTANCE = new DatasetCatalog(DatasetFetcher.standard());
    }
}
