package io.ensemblescope.deploy.rehearsal;

import io.ensemblescope.datasets.DatasetFetcher;
import io.ensemblescope.datasets.FetchSpec;
import io.ensemblescope.deploy.HelmChart;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A release of the chart rehearsed on this machine: a fake API server (fabric8's mock, CRUD mode, over HTTPS as in a
 * cluster), every Deployment's pods started as {@link PodProcess}es and waited for as their probes declare, the
 * Services served on loopback, and a {@link JobKubelet} running the Jobs the trainer creates.
 */
final class Rehearsal implements AutoCloseable {
    /** The token the trainer's ServiceAccount presents; API calls carrying it are the trainer's. */
    static final String TRAINER_TOKEN = "rehearsal-trainer-token";
    /** Kept referenced (JUL holds loggers weakly): the mock logs every request at INFO. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    final Cluster cluster;
    final KubernetesMockServer apiServer;
    final KubernetesClient kube;
    final JobKubelet kubelet;
    final List<PodProcess> pods = new ArrayList<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Path root;

    private Rehearsal(Path root, Cluster cluster, KubernetesMockServer apiServer) {
        this.root = root;
        this.cluster = cluster;
        this.apiServer = apiServer;
        this.kube = apiServer.createClient();
        this.kubelet = new JobKubelet(cluster, kube);
    }

    /** Sets up the cluster for {@code objects} (a rendered release) under {@code root}; starts no pod yet. */
    static Rehearsal of(Path root, List<Object> objects, Image image, String namespace, String trainerAccount,
                        long fsGroup) throws Exception {
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(root);
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        api.init(InetAddress.getLoopbackAddress(), 0);
        Cluster cluster = new Cluster(root, namespace, image, asRoot, fsGroup);
        cluster.apply(objects);
        cluster.apiServer(api.getPort(), Path.of(api.getSelfSignedCertificate().certificatePath()));
        cluster.token(trainerAccount, TRAINER_TOKEN);
        return new Rehearsal(root, cluster, api);
    }

    /** Copies datasets from this machine's cache onto a claim, as an operator would seed the volume. */
    void seed(String claim, String dir, FetchSpec... specs) throws IOException {
        DatasetFetcher fetcher = DatasetFetcher.standard();
        Path target = cluster.claim(claim).resolve(dir);
        for (FetchSpec spec : specs) {
            fetcher.resolve(spec, null);
            HelmChart.copyTree(fetcher.cacheDir(spec), target.resolve(spec.name()));
        }
        chownTree(target);
    }

    /** Stores the Deployments in the API server, as {@code helm install} does (the trainer reads its own). */
    void createInApiServer(List<V1Deployment> deployments) {
        for (V1Deployment d : deployments) {
            if (d.getMetadata().getUid() == null) {
                d.getMetadata().setUid(java.util.UUID.randomUUID().toString()); // the API server assigns one
            }
            kube.resource(new io.kubernetes.client.openapi.JSON().serialize(d)).inNamespace(cluster.namespace())
                    .create();
        }
    }

    /** Whether Job {@code name} was created owned by the trainer's Deployment, as stored in the API server. */
    boolean ownedByTheTrainer(String name) {
        var trainer = kube.apps().deployments().inNamespace(cluster.namespace()).withName("ensemblescope-trainer")
                .get();
        String uid = trainer == null ? null : trainer.getMetadata().getUid();
        return uid != null && kubelet.owners(name).contains("Deployment/ensemblescope-trainer/" + uid);
    }

    /** Starts every replica of every Deployment. */
    void startDeployments(List<V1Deployment> deployments) throws IOException {
        for (V1Deployment d : deployments) {
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            for (int i = 0; i < replicas; i++) {
                pods.add(PodProcess.start(cluster, d.getMetadata().getName() + "-" + i,
                        d.getSpec().getTemplate().getSpec()));
            }
        }
    }

    /**
     * Waits, for every started Deployment pod at once, for its startup then readiness probe; a ready pod joins its
     * Services. Returns each pod's seconds to ready.
     */
    Map<String, Double> awaitReady(List<V1Deployment> deployments) throws Exception {
        ExecutorService probes = Executors.newFixedThreadPool(Math.max(1, pods.size()));
        try {
            Map<String, Future<Double>> ready = new HashMap<>();
            long start = System.nanoTime();
            int index = 0;
            for (V1Deployment d : deployments) {
                int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                for (int i = 0; i < replicas; i++) {
                    PodProcess pod = pods.get(index++);
                    var c = pod.container;
                    Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
                    ready.put(pod.name, probes.submit(() -> {
                        GrpcProbe.await(c.getStartupProbe(), pod.hostPort(c.getStartupProbe().getGrpc().getPort()),
                                true, 0, pod::alive);
                        GrpcProbe.await(c.getReadinessProbe(),
                                pod.hostPort(c.getReadinessProbe().getGrpc().getPort()), false, 30, pod::alive);
                        cluster.ready(labels, pod);
                        return (System.nanoTime() - start) / 1e9;
                    }));
                }
            }
            Map<String, Double> seconds = new HashMap<>();
            for (var e : ready.entrySet()) {
                try {
                    seconds.put(e.getKey(), e.getValue().get(10, TimeUnit.MINUTES));
                } catch (java.util.concurrent.ExecutionException ex) {
                    PodProcess pod = pods.stream().filter(p -> p.name.equals(e.getKey())).findFirst().orElseThrow();
                    throw new AssertionError("pod " + e.getKey() + " never became ready: " + ex.getCause().getMessage()
                            + "\n--- its log ---\n" + pod.logTail(40), ex.getCause());
                }
            }
            return seconds;
        } finally {
            probes.shutdownNow();
        }
    }

    /** Runs a bare pod (the helm test's client pod) to completion; returns it with its exit code. */
    PodProcess run(V1Pod pod) throws IOException {
        PodProcess p = PodProcess.start(cluster, pod.getMetadata().getName(), pod.getSpec());
        pods.add(p);
        return p;
    }

    /** The API calls made with the trainer's token, as "VERB path". */
    List<String> trainerCalls() throws InterruptedException {
        for (RecordedRequest r; (r = apiServer.takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
            requests.add(r);
        }
        return requests.stream().filter(r -> ("Bearer " + TRAINER_TOKEN).equals(r.getHeaders().get("Authorization")))
                .map(r -> r.getMethod() + " " + r.getPath()).toList();
    }

    private void chownTree(Path dir) throws IOException {
        if (!cluster.asRoot()) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Cluster.chown(p, 65532, 65532);
            }
        }
    }

    /** Stops every pod (SIGTERM, grace), the kubelet, the proxies and the API server. */
    @Override
    public void close() throws Exception {
        kubelet.close();
        // Every pod gets SIGTERM at once, as when a namespace is deleted, then each is waited for.
        pods.forEach(PodProcess::terminate);
        for (PodProcess pod : pods) {
            pod.close();
        }
        cluster.close();
        kube.close();
        apiServer.destroy();
    }
}
