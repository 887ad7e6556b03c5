package io.ensemblescope.datasets;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Shift names → shifts, by prefix: {@code rotate-<deg>}, {@code gaussian-noise-<std>} and any registered later. */
public final class ShiftRegistry {
    private final Map<String, ShiftFactory> factories = new ConcurrentSkipListMap<>();

    /** A registry with the built-in shifts. */
    public static ShiftRegistry withBuiltIns() {
        ShiftRegistry registry = new ShiftRegistry();
        registry.register(Rotation.PREFIX, Rotation::parse);
        registry.register(GaussianNoise.PREFIX, GaussianNoise::parse);
        return registry;
    }

    /** Adds a family of shifts named {@code <prefix><argument>}. */
    public void register(String prefix, ShiftFactory factory) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("shift prefix must not be empty");
        }
        if (factories.putIfAbsent(prefix, factory) != null) {
            throw new IllegalArgumentException("shift prefix '" + prefix + "' is already registered");
        }
    }

    /**
     * The shift a name denotes (the longest matching prefix wins), or null for the empty name.
     *
     * @throws IllegalArgumentException naming {@code dataset.shift} for an unknown or malformed name
     */
    public Shift parse(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String best = null;
        for (String prefix : factories.keySet()) {
            if (name.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("dataset.shift: unknown shift '" + name + "'; known: "
                    + String.join(", ", new TreeMap<>(factories).keySet().stream().map(p -> p + "<arg>").toList()));
        }
        return factories.get(best).create(name.substring(best.length()));
    }
}
