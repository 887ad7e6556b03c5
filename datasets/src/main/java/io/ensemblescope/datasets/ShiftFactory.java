package io.ensemblescope.datasets;

/** Builds a {@link Shift} from the text after its registered prefix, e.g. {@code 30} of {@code rotate-30}. */
@FunctionalInterface
public interface ShiftFactory {
    /** Throws IllegalArgumentException naming {@code dataset.shift} when the argument is malformed. */
    Shift create(String argument);

    /** Parses a finite number argument, or fails naming the field and the whole shift. */
    static double number(String prefix, String argument, String what) {
        try {
            double value = Double.parseDouble(argument);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("dataset.shift: '" + prefix + argument + "' needs " + what
                + " after '" + prefix + "', got '" + argument + "'");
    }
}
