package io.ensemblescope.datasets;

import java.io.IOException;

/** Checks what a checksum cannot (e.g. a package whose exact bytes may change between releases). */
@FunctionalInterface
public interface ContentCheck {
    ContentCheck NONE = files -> { };

    /** Throws with the reason when the files are not the expected dataset. */
    void verify(DatasetFiles files) throws IOException;
}
