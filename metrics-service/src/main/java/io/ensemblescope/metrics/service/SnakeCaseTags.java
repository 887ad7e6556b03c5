package io.ensemblescope.metrics.service;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites camelCase tag keys (Micrometer's gRPC meters use statusCode and methodType) to snake_case, which
 * `promtool check metrics` requires of Prometheus label names.
 */
public final class SnakeCaseTags implements MeterFilter {
    @Override
    public Meter.Id map(Meter.Id id) {
        List<Tag> tags = new ArrayList<>();
        boolean changed = false;
        for (Tag tag : id.getTagsAsIterable()) {
            String key = snake(tag.getKey());
            changed |= !key.equals(tag.getKey());
            tags.add(Tag.of(key, tag.getValue()));
        }
        return changed ? id.replaceTags(tags) : id;
    }

    static String snake(String key) {
        StringBuilder b = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
