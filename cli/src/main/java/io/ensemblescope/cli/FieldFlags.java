package io.ensemblescope.cli;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names a command's flags instead of request fields in messages from core and the services, which name the field
 * first ("epochs: must be > 0, got 0" becomes "--epochs must be > 0, got 0"): a user knows the flags, not the proto.
 */
final class FieldFlags {
    private final Map<String, String> flags = new LinkedHashMap<>();

    /** @param fieldThenFlag pairs: field, flag, field, flag, … */
    FieldFlags(String... fieldThenFlag) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fieldThenFlag.length; i += 2) {
            m.put(fieldThenFlag[i], fieldThenFlag[i + 1]);
        }
        // Longest field first, so that "dataset.limit" wins over "dataset".
        m.entrySet().stream().sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> -e.getKey().length()))
                .forEach(e -> flags.put(e.getKey(), e.getValue()));
    }

    /** {@code message} with its leading field replaced by the flag, or unchanged when it names no known field. */
    String translate(String message) {
        if (message == null) {
            return null;
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            String field = e.getKey();
            if (message.startsWith(field + ":")) {
                String rest = message.substring(field.length() + 1);
                return e.getValue() + (rest.startsWith(" must") ? "" : ":") + rest;
            }
            if (message.startsWith(field + " ")) {
                return e.getValue() + message.substring(field.length());
            }
        }
        return message;
    }

    /** {@code e} as a usage error naming the flag, or {@code e} itself when its message names no known field. */
    RuntimeException translate(IllegalArgumentException e) {
        String translated = translate(e.getMessage());
        return translated.equals(e.getMessage()) ? e : new IllegalArgumentException(translated, e);
    }
}
