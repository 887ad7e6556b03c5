package io.ensemblescope.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensemblescope.api.ReportJson;
import io.ensemblescope.metrics.math.Conventions;
import io.ensemblescope.metrics.math.MeanStd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The study as one JSON document: per method, every seed's evaluation and diversity report (proto3 JSON) and the
 * aggregates {mean, std, n} per split and metric, per CIFAR-10-C severity (mean over corruptions), per OOD pair,
 * score and metric, and for weight diversity; the study's notes and any published reference tables.
 */
final class StudyJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StudyJson() {}

    static String render(StudyResults study, StudyAggregates agg) {
        ObjectNode root = JSON.createObjectNode();
        root.put("title", study.title());
        root.put("conventions", Conventions.TEXT);
        study.notes().forEach(root.withArray("notes")::add);
        ObjectNode methods = root.putObject("methods");
        for (Map.Entry<String, List<SeedRun>> e : study.methods().entrySet()) {
            String method = e.getKey();
            ObjectNode m = methods.putObject(method);
            ArrayNode seeds = m.putArray("seeds");
            for (SeedRun run : e.getValue()) {
                ObjectNode seed = seeds.addObject();
                seed.set("evaluation", parse(ReportJson.print(run.evaluation().toBuilder().clearJson())));
                if (run.diversity() != null) {
                    seed.set("diversity", parse(ReportJson.print(run.diversity())));
                }
            }
            ObjectNode splits = m.putObject("aggregate").putObject("splits");
            agg.splits().forEach((split, kind) -> {
                ObjectNode s = splits.putObject(split);
                for (SplitColumn c : SplitColumn.values()) {
                    if (kind != io.ensemblescope.api.v1.SplitKind.OOD || !c.labeledOnly) {
                        put(s, c.key, agg.split(method, split, c.value));
                    }
                }
            });
            CorruptionMeans.groups(agg.splits()).forEach((severity, names) -> {
                ObjectNode c = ((ObjectNode) m.get("aggregate")).withObject("cifar10c_mean")
                        .putObject("severity_" + severity);
                names.forEach(c.putArray("corruptions")::add);
                for (SplitColumn col : SplitColumn.values()) {
                    put(c, col.key, CorruptionMeans.mean(e.getValue(), names, col.value));
                }
            });
            ArrayNode ood = ((ObjectNode) m.get("aggregate")).putArray("ood");
            for (List<String> pair : agg.oodPairs()) {
                for (String score : agg.scores()) {
                    ObjectNode o = ood.addObject().put("in_split", pair.get(0)).put("ood_split", pair.get(1))
                            .put("score", score);
                    for (OodColumn c : OodColumn.values()) {
                        put(o, c.key, agg.ood(method, pair, score, c.value));
                    }
                }
            }
            ObjectNode diversity = ((ObjectNode) m.get("aggregate")).putObject("weight_diversity");
            put(diversity, "mean_cosine", agg.diversity(method, true));
            put(diversity, "mean_normalized_l2", agg.diversity(method, false));
        }
        root.set("references", JSON.valueToTree(study.references()));
        if (study.cost() != null) {
            root.set("cost", CostSection.json(study.cost()));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void put(ObjectNode node, String key, Optional<MeanStd> value) {
        value.ifPresent(v -> node.putObject(key).put("mean", v.mean()).put("std", v.std()).put("n", v.n()));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
