package io.ensemblescope.core.store;

import java.nio.file.Path;

/**
 * Every name in the checkpoint store, in one place.
 * <pre>
 * root/model/vN/manifest.json, member-i.params, job-id   a committed version (immutable; job-id names its job)
 * root/model/.tmp-uuid/                                 a version being built (stale ones removed under .lock)
 * root/model/.lock                                      serialises the commits of one model across processes
 * root/.jobs/job/request.json                           the job's request (protobuf JSON)
 * root/.jobs/job/COMMITTED | FAILED | CANCELLED         the job's outcome; none yet: running or interrupted
 * root/.jobs/job/run-i/                                 one run: snapshot.json and the files it names
 *                                                       (snapshot-S.params, best-E.params, optimizer-S.state),
 *                                                       progress.json, log.txt, final.params, result.json, DONE,
 *                                                       .lock (held by the one process training the run)
 * </pre>
 */
public final class StoreLayout {
    public static final String MANIFEST = "manifest.json";
    /** In a version directory: the id of the job that committed it, so a repeated commit finds it. */
    public static final String VERSION_JOB = "job-id";
    public static final String COMMIT_TEMP_PREFIX = ".tmp-";
    public static final String LOCK = ".lock";

    public static final String JOBS = ".jobs";
    public static final String REQUEST = "request.json";
    public static final String COMMITTED = "COMMITTED";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";

    public static final String RUN_PREFIX = "run-";
    public static final String SNAPSHOT = "snapshot.json";
    public static final String PROGRESS = "progress.json";
    public static final String LOG = "log.txt";
    public static final String FINAL_PARAMS = "final.params";
    public static final String RESULT = "result.json";
    public static final String DONE = "DONE";

    private StoreLayout() {}

    /** Parameter file of replica {@code i} in a version directory. */
    public static String replicaFile(int i) {
        return "member-" + i + ".params";
    }

    /** Where the work directories of training jobs live. */
    public static Path jobsDir(Path root) {
        return root.resolve(JOBS);
    }

    /** Directory of run {@code i} inside a job's work directory. */
    public static Path runDir(Path jobDir, int i) {
        return jobDir.resolve(RUN_PREFIX + i);
    }

    /** A snapshot's current parameters, after {@code step} optimizer steps. */
    public static String snapshotParams(long step) {
        return "snapshot-" + step + ".params";
    }

    /** The best epoch's parameters (early stopping). */
    public static String bestParams(int epoch) {
        return "best-" + epoch + ".params";
    }

    /** The optimizer's state (moments, update counts) after {@code step} optimizer steps. */
    public static String optimizerState(long step) {
        return "optimizer-" + step + ".state";
    }

    /**
     * True for the snapshot data files above (and the fixed names of releases before 0.2); those that snapshot.json
     * does not name are stale.
     */
    public static boolean isSnapshotData(String fileName) {
        return fileName.matches("(snapshot|best)(-\\d+)?\\.params|optimizer-\\d+\\.state");
    }
}
