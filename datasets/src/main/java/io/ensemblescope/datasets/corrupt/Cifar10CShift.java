package io.ensemblescope.datasets.corrupt;

import io.ensemblescope.datasets.ShiftFactory;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CIFAR-10-C corruptions as dataset shifts named {@code cifar10c-<corruption>-<severity>}, e.g.
 * {@code cifar10c-frost-5}. Register with {@code registry.register(Cifar10CShift.PREFIX, Cifar10CShift.factory(gen))}.
 */
public final class Cifar10CShift {
    public static final String PREFIX = "cifar10c-";
    private static final Pattern ARGUMENT = Pattern.compile("([a-z_]+)-([1-5])");

    private Cifar10CShift() {
    }

    public static ShiftFactory factory(Cifar10CGenerator generator) {
        return argument -> {
            Matcher m = ARGUMENT.matcher(argument);
            if (!m.matches() || !Corruptions.ALL.contains(m.group(1))) {
                throw new IllegalArgumentException("dataset.shift: '" + PREFIX + argument + "' needs <corruption>-"
                        + "<severity 1..5>, corruption one of " + Corruptions.ALL);
            }
            String corruption = m.group(1);
            int severity = Integer.parseInt(m.group(2));
            String skipped = generator.plan(List.of(corruption)).skipped().get(corruption);
            if (skipped != null) {
                throw new IllegalStateException("dataset.shift: " + PREFIX + argument + " unavailable: " + skipped);
            }
            return (images, firstIndex, seed) -> generator.corrupt(images, firstIndex, corruption, severity, seed);
        };
    }
}
