package io.ensemblescope.inference.serving;

import io.ensemblescope.core.checkpoint.Manifest;

/** What the repository knows of one model version: its manifest and how it is (or would be) served. */
public record ModelView(Manifest manifest, ModelState state, String device, BatchingConfig batching,
                        int maxRequestBatch) {}
