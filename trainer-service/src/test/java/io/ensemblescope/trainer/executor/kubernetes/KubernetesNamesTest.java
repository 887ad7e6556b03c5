package io.ensemblescope.trainer.executor.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KubernetesNamesTest {

    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String LABEL_VALUE = "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?";

    @Test
    void shortIdsAreKeptReadable() {
        assertEquals("escope-job-7-m3-a1", KubernetesNames.jobName("job-7", 3, 1));
        assertEquals("Job_7", KubernetesNames.labelValue("Job_7"));
    }

    @Test
    void longOrOddIdsStayValidAndDistinct() {
        String a = "2026-11-28T05:24:01Z/DeepEnsemble:resnet20:" + "x".repeat(80) + "-A";
        String b = "2026-11-28T05:24:01Z/DeepEnsemble:resnet20:" + "x".repeat(80) + "-B";
        for (String id : new String[] {a, b, "__", "UPPER/case"}) {
            String name = KubernetesNames.jobName(id, 11, 2);
            assertTrue(name.length() <= 63 && name.matches(DNS_LABEL) && name.endsWith("-m11-a2"), name);
            String label = KubernetesNames.labelValue(id);
            assertTrue(label.length() <= 63 && label.matches(LABEL_VALUE), label);
        }
        assertNotEquals(KubernetesNames.jobName(a, 0, 0), KubernetesNames.jobName(b, 0, 0));
        assertNotEquals(KubernetesNames.labelValue(a), KubernetesNames.labelValue(b));
    }
}
