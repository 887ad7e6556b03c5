package io.ensemblescope.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module map of docs/ARCHITECTURE.md as rules over the production classes of every module (the cli sees them
 * all): what each module may import, and no package cycles anywhere.
 */
@AnalyzeClasses(packages = "io.ensemblescope",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NotGenerated.class})
class ArchitectureTest {
    private static final String PROTO = "io.ensemblescope.api..";
    private static final String RPC = "io.ensemblescope.rpc..";
    private static final String DATASETS = "io.ensemblescope.datasets..";
    private static final String METRICS_MATH = "io.ensemblescope.metrics.math..";
    private static final String CORE = "io.ensemblescope.core..";
    private static final String REPORTS = "io.ensemblescope.reports..";

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.ensemblescope.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule modulesImportOnlyWhatTheMapAllows = layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("io.ensemblescope..")
            .layer("files").definedBy("io.ensemblescope.files..")
            .layer("proto").definedBy(PROTO)
            .layer("rpc").definedBy(RPC)
            .layer("datasets").definedBy(DATASETS)
            .layer("metrics-math").definedBy(METRICS_MATH)
            .layer("core").definedBy(CORE)
            .layer("trainer-service").definedBy("io.ensemblescope.trainer..")
            .layer("inference-service").definedBy("io.ensemblescope.inference..")
            .layer("metrics-service").definedBy("io.ensemblescope.metrics.evaluation..",
                    "io.ensemblescope.metrics.service..")
            .layer("reports").definedBy(REPORTS)
            .layer("cli").definedBy("io.ensemblescope.cli..")
            // Test helpers (on this test's classpath since the cli's tests use them): never production code's.
            .layer("testing").definedBy("io.ensemblescope.testing..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("testing").mayNotBeAccessedByAnyLayer()
            .whereLayer("reports").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("trainer-service").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("inference-service").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("metrics-service").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("core").mayOnlyBeAccessedByLayers("trainer-service", "inference-service", "metrics-service",
                    "cli")
            .whereLayer("datasets").mayOnlyBeAccessedByLayers("core", "trainer-service", "inference-service",
                    "metrics-service", "cli")
            .whereLayer("metrics-math").mayOnlyBeAccessedByLayers("inference-service", "metrics-service", "reports",
                    "cli")
            .whereLayer("files").mayOnlyBeAccessedByLayers("datasets", "core", "trainer-service", "inference-service",
                    "metrics-service", "cli")
            .whereLayer("rpc").mayOnlyBeAccessedByLayers("trainer-service", "inference-service", "metrics-service",
                    "cli")
            .whereLayer("proto").mayOnlyBeAccessedByLayers("rpc", "trainer-service", "inference-service",
                    "metrics-service", "reports", "cli")
            .ensureAllClassesAreContainedInArchitecture();

    @ArchTest
    static final ArchRule metricsMathImportsOnlyTheJdk = classes().that().resideInAPackage(METRICS_MATH)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", METRICS_MATH);

    @ArchTest
    static final ArchRule coreAndDatasetsSpeakNoGrpc = noClasses().that().resideInAnyPackage(CORE, DATASETS)
            .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "com.google.protobuf..", PROTO);

    @ArchTest
    static final ArchRule datasetsNeedNoDjl = noClasses().that().resideInAPackage(DATASETS)
            .should().dependOnClassesThat().resideInAPackage("ai.djl..");

    @ArchTest
    static final ArchRule onlyTheCliImportsReports = noClasses().that()
            .resideOutsideOfPackages("io.ensemblescope.cli..", REPORTS)
            .should().dependOnClassesThat().resideInAPackage(REPORTS);

    /**
     * Leaves out protoc's output (thousands of classes that import nothing of ours); calls into it are still seen
     * from the classes that make them.
     */
    static final class NotGenerated implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/io/ensemblescope/api/v1/");
        }
    }
}
