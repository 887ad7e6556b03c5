package io.ensemblescope.inference.serving;

import io.ensemblescope.core.checkpoint.Manifest;

/**
 * What the repository knows of one model version: its manifest and how it is (or would be) served, or — for a
 * version whose manifest cannot be read — only its name, version and why it is unavailable.
 */
public record ModelView(String name, String version, Manifest manifest, ModelState state, String device,
                        BatchingConfig batching, int maxRequestBatch, String reason) {

    static ModelView of(Manifest manifest, ModelState state, String device, BatchingConfig batching,
                        int maxRequestBatch, String reason) {
        return new ModelView(manifest.name(), manifest.version(), manifest, state, device, batching, maxRequestBatch,
                reason == null ? "" : reason);
    }

    static ModelView unavailable(String name, String version, String reason) {
        return new ModelView(name, version, null, ModelState.UNAVAILABLE, "", null, 0, reason);
    }
}
