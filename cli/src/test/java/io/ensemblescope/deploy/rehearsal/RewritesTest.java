package io.ensemblescope.deploy.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each mountPath prefix is rewritten once, even when the rehearsal's own directories lie under a mounted path. */
class RewritesTest {
    @Test
    void aDirectoryUnderTmpIsNotRewrittenAgainByThePodsTmpMount() {
        Rewrites r = new Rewrites("ns").mount("/tmp", Path.of("/tmp/ci/pods/p/emptydir"))
                .mount("/etc/escope/auth/", Path.of("/tmp/ci/pods/p/secret/auth"));
        assertEquals("/tmp/ci/pods/p/secret/auth/tokens", r.apply("/etc/escope/auth/tokens"));
        assertEquals("/tmp/ci/pods/p/emptydir/djl", r.apply("/tmp/djl"));
        assertEquals("--dir=/tmp/ci/pods/p/emptydir,/tmp/ci/pods/p/secret/auth",
                r.apply("--dir=/tmp,/etc/escope/auth"));
        assertEquals("/tmpfoo/x", r.apply("/tmpfoo/x"), "only whole path segments");
    }
}
