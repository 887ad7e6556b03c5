package io.ensemblescope.inference.serving;

import ai.djl.Device;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.models.EnsembleNetwork;
import java.io.IOException;

/** Turns a manifest into a network on a device; normally {@code CheckpointStore::load}. */
@FunctionalInterface
public interface ModelLoader {
    EnsembleNetwork load(Manifest manifest, Device device) throws IOException;
}
