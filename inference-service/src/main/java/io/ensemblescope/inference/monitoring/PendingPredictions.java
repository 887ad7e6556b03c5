package io.ensemblescope.inference.monitoring;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Predictions of one model held by request id until their outcome arrives, oldest dropped first beyond a memory
 * budget (floats of member probabilities) or a count. A reused id holds its latest prediction. Not thread-safe: the
 * monitor guards it.
 */
final class PendingPredictions {
    /** A held prediction: member-major probabilities [k, B, C] and when it was held (for ties across models). */
    record Held(float[] probabilities, int members, int batch, int classes, long sequence) {
        long floats() {
            return (long) members * batch * classes;
        }
    }

    private final long maxFloats;
    private final int maxRequests;
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>();
    private long floats;
    private long evicted;

    PendingPredictions(long maxFloats, int maxRequests) {
        this.maxFloats = maxFloats;
        this.maxRequests = maxRequests;
    }

    /** Holds {@code h} under {@code id}; false (nothing held) when it alone exceeds the budget. */
    boolean hold(String id, Held h) {
        Held previous = held.remove(id);
        if (previous != null) {
            floats -= previous.floats();
        }
        if (h.floats() > maxFloats) {
            return false;
        }
        held.put(id, h);
        floats += h.floats();
        Iterator<Map.Entry<String, Held>> oldest = held.entrySet().iterator();
        while (floats > maxFloats || held.size() > maxRequests) {
            floats -= oldest.next().getValue().floats();
            oldest.remove();
            evicted++;
        }
        return true;
    }

    Held get(String id) {
        return held.get(id);
    }

    Held take(String id) {
        Held h = held.remove(id);
        if (h != null) {
            floats -= h.floats();
        }
        return h;
    }

    int size() {
        return held.size();
    }

    long evicted() {
        return evicted;
    }
}
