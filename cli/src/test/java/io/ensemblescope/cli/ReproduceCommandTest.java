package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ensemblescope.cli.reproduce.StudyPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReproduceCommandTest {
    private static List<String> names(StudyPlan plan) {
        return plan.evaluation().stream().map(e -> e.getSplit().getName()).toList();
    }

    @Test
    void reproduceCommandPicksTheCifarPlanAndScale() {
        ReproduceCommand quick = new ReproduceCommand();
        new picocli.CommandLine(quick).parseArgs("--study", "cifar10", "--quick");
        assertEquals("cifar10-smoke", quick.plan().name());
        ReproduceCommand paper = new ReproduceCommand();
        new picocli.CommandLine(paper).parseArgs("--study", "cifar10", "--scale", "paper", "--seeds", "2",
                "--svhn-dir", "/data/svhn");
        StudyPlan plan = paper.plan();
        assertEquals(2, plan.seeds().size());
        assertEquals("svhn-test", names(plan).get(names(plan).size() - 1));
        ReproduceCommand unknown = new ReproduceCommand();
        new picocli.CommandLine(unknown).parseArgs("--study", "cifar100");
        assertThrows(IllegalArgumentException.class, unknown::plan);
    }
}
