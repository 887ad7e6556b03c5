package io.ensemblescope.rpc;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the exposition clean for {@code promtool check metrics}: tag keys in snake_case (Micrometer's gRPC
 * interceptor writes {@code methodType} and {@code statusCode}), no unit abbreviation in names
 * ({@code process.cpu.time} in ns is dropped; {@code process.cpu.usage} remains), and no {@code _count} suffix on a
 * gauge ({@code system.cpu.count} becomes {@code system.cpu.logical}).
 */
final class PrometheusNaming implements MeterFilter {
    static final PrometheusNaming FILTER = new PrometheusNaming();

    private PrometheusNaming() {}

    @Override
    public io.micrometer.core.instrument.config.MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals("process.cpu.time") ? io.micrometer.core.instrument.config.MeterFilterReply.DENY
                : io.micrometer.core.instrument.config.MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        Meter.Id out = id.getName().equals("system.cpu.count") ? id.withName("system.cpu.logical") : id;
        List<Tag> tags = new ArrayList<>();
        boolean changed = false;
        for (Tag t : out.getTagsAsIterable()) {
            String key = snake(t.getKey());
            changed |= !key.equals(t.getKey());
            tags.add(Tag.of(key, t.getValue()));
        }
        return changed ? out.replaceTags(tags) : out;
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
