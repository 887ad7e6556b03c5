package io.ensemblescope.trainer.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ensemblescope.core.models.Method;
import io.ensemblescope.trainer.request.TrainerProtos;
import org.junit.jupiter.api.Test;

class TrainerProtosTest {
    @Test
    void everyCoreMethodSurvivesTheWireBothWays() {
        for (Method m : Method.values()) {
            io.ensemblescope.api.v1.Method wire = TrainerProtos.toProto(m);
            assertEquals(m.name(), wire.name(), "same name on the wire");
            assertEquals(m, TrainerProtos.method(wire));
        }
    }
}
