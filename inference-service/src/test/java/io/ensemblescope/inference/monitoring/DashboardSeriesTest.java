package io.ensemblescope.inference.monitoring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.ReportOutcomesRequest;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.rpc.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every monitoring series the chart's dashboard and alert rules query is one a live, monitored server exports (with a
 * profile loaded and outcomes reported), so a renamed meter cannot leave a panel or an alert silently empty.
 */
class DashboardSeriesTest {
    private static final Pattern SERIES = Pattern.compile("inference_(uncertainty|drift|outcomes)_[a-z_]+");

    @TempDir
    Path dir;

    private static Set<String> referenced(Path file) throws Exception {
        Set<String> out = new TreeSet<>();
        Matcher m = SERIES.matcher(Files.readString(file));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void dashboardAndAlertsQueryOnlySeriesTheServerExports() throws Exception {
        Path chart = Path.of("").toAbsolutePath().getParent().resolve("helm/ensemblescope");
        Set<String> wanted = referenced(chart.resolve("dashboards/ensemblescope.json"));
        wanted.addAll(referenced(chart.resolve("templates/prometheusrule.yaml")));
        assertTrue(wanted.size() >= 12, "the Uncertainty row and the rules query the monitoring series: " + wanted);

        CheckpointStore store = MonitoredStore.copyOfTiny(dir);
        Manifest m = store.manifest(TinyCheckpoints.BE, "v1");
        ModelRef ref = ModelRef.newBuilder().setName(m.name()).setVersion(m.version()).build();
        Set<String> exported = new TreeSet<>();
        try (ServerHarness server = ServerHarness.monitored(store, MonitoringOptions.DEFAULT.withDriftWindow(10))) {
            server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());
            ReferenceProfiles.write(store, m, ReferenceProfiler.profile(server.blocking, ref,
                    TinyCheckpoints.testImages(), "test", 128, ReferenceProfiles.manifestSha256(store.versionDir(m))));
            server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());
            server.blocking.predict(ImageTraffic.request(ref, TinyCheckpoints.testImages(), 0, 12, "one"));
            server.blocking.reportOutcomes(ReportOutcomesRequest.newBuilder().addOutcomes(
                    io.ensemblescope.api.v1.Outcome.newBuilder().setRequestId("gone").addLabels(1)).build());
            for (PrometheusText.Sample s : server.scrape().samples()) {
                exported.add(s.name());
            }
        }
        for (String series : wanted) {
            assertTrue(exported.contains(series), series + " is queried but not exported; exported: " + exported);
        }
    }
}
