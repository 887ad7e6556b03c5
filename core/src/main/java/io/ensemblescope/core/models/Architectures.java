package io.ensemblescope.core.models;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** The architectures EnsembleScope knows, by name. */
public final class Architectures {
    private static final Map<String, IntFunction<Architecture>> KNOWN = Map.of(
            MnistMlp.NAME, classes -> new MnistMlp(),
            "resnet18", ResNet::resnet18,
            "resnet20", ResNet::resnet20);

    private Architectures() {}

    public static List<String> names() {
        return KNOWN.keySet().stream().sorted().toList();
    }

    /** The architecture for {@code name} with {@code classes} outputs (the MLP is fixed at 10). */
    public static Architecture get(String name, int classes) {
        IntFunction<Architecture> factory = KNOWN.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("architecture: unknown '" + name + "', known: " + names());
        }
        return factory.apply(classes);
    }
}
