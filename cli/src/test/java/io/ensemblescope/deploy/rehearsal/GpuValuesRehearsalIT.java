package io.ensemblescope.deploy.rehearsal;

import static io.ensemblescope.deploy.rehearsal.ClusterRehearsalIT.FS_GROUP;
import static io.ensemblescope.deploy.rehearsal.ClusterRehearsalIT.NS;
import static io.ensemblescope.deploy.rehearsal.ClusterRehearsalIT.REGISTRY_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ensemblescope.deploy.HelmChart;
import io.kubernetes.client.openapi.models.V1Deployment;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster rehearsal of the chart rendered with values-gpu.yaml: every Deployment's pods start as their containers
 * would and pass their own probes (trainer and metrics on the CPU image). Its own class so that surefire runs it in a
 * fork beside {@link ClusterRehearsalIT}'s default release.
 */
class GpuValuesRehearsalIT {
    @Test
    void withGpuValuesEveryDeploymentStartsAndTrainerAndMetricsStayOnTheCpuImage() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        List<Object> objects = ClusterRehearsalIT.release("gpu");
        Path root = ClusterRehearsalIT.fresh("gpu");
        Image image = Image.of(ClusterRehearsalIT.cliDir(), root);
        try (Rehearsal r = Rehearsal.of(root, objects, image, NS, "ensemblescope-trainer", FS_GROUP)) {
            r.cluster.privateRegistry(REGISTRY_SECRET);
            List<V1Deployment> deployments = HelmChart.ofType(objects, V1Deployment.class);
            r.createInApiServer(deployments);
            r.startDeployments(deployments);
            assertEquals(4, r.awaitReady(deployments).size());
        }
        ClusterRehearsalIT.assertNothingWrittenOutsideVolumes(start);
        ClusterRehearsalIT.deleteQuietly(root);
    }
}
