package io.ensemblescope.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensemblescope.metrics.math.MeanStd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ablation's own output beside the study report: {@code ablation.md} (the table and the number-backed answer),
 * {@code ablation.json} (the table's numbers, row → column → mean, std, seeds) and
 * {@code plots/ablation-diversity-vs-nll.png}.
 */
public final class AblationReport {
    /** The files written and the Markdown section (table and answer) for the study report. */
    public record Written(Path markdown, Path json, Path plot, String section) {}

    private AblationReport() {}

    public static Written write(StudyResults study, Ablation ablation, Path dir) throws IOException {
        AblationTable table = new AblationTable(study);
        List<String> rows = new ArrayList<>();
        rows.add(ablation.single());
        rows.add(ablation.deepEnsemble());
        rows.addAll(ablation.variantRows());
        rows.retainAll(study.methods().keySet());
        AblationTable.Splits s = table.splits();
        String section = "## Ablation: what makes BatchEnsemble diverse?\n\n"
                + String.format(Locale.ROOT, "Accuracy, NLL and ECE on %s; disagreement (share of sample pairs of"
                + " members whose predicted classes differ) on %s and on %s; mutual information (= JSD, nats) on %s"
                + " (OOD) and %s (shifted); OOD AUROC of %s vs %s for the max-softmax (MSP) and the"
                + " mutual-information score; mean pairwise cosine of the members' effective weights; trainable"
                + " parameters; p50 latency of one request with B = 1 on the study's inference service. Each"
                + " BatchEnsemble row changes one knob of the paper row.%n%n", s.in(), s.in(), s.ood(), s.ood(),
                s.shifted(), s.in(), s.ood())
                + table.markdown(rows) + "\nPlot: `plots/ablation-diversity-vs-nll.png`.\n\n"
                + new AblationAnswer(table, ablation).markdown();
        Path plots = Files.createDirectories(dir.resolve("plots"));
        Path plot = ChartFiles.png(AblationChart.of(table, ablation, rows), plots, "ablation-diversity-vs-nll");
        Path md = Files.writeString(dir.resolve("ablation.md"), "# " + study.title() + "\n\n" + section);
        Path json = dir.resolve("ablation.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), json(table, rows));
        return new Written(md, json, plot, section);
    }

    private static ObjectNode json(AblationTable table, List<String> rows) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.set("splits", mapper.valueToTree(table.splits()));
        ObjectNode out = root.putObject("rows");
        for (String row : rows) {
            ObjectNode r = out.putObject(row);
            for (Map.Entry<AblationTable.Column, MeanStd> e : table.rows().get(row).entrySet()) {
                r.set(e.getKey().name().toLowerCase(Locale.ROOT), mapper.valueToTree(e.getValue()));
            }
        }
        return root;
    }
}
