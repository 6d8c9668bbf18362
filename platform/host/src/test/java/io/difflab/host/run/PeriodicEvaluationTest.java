package io.difflab.host.run;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PeriodicEvaluationTest {

    private static List<Long> evaluatedSteps(int every, long start, long total) {
        List<Long> steps = new ArrayList<>();
        PeriodicEvaluation listener = new PeriodicEvaluation(every, steps::add);
        listener.onStart(start, total);
        for (long step = start + 1; step <= total; step++) {
            listener.onStep(step, Map.of("train.loss", 0.1));
        }
        return steps;
    }

    @Test
    void evaluatesAtMultiplesOfKButNotAtTheLastStep() {
        assertEquals(List.of(250L, 500L, 750L), evaluatedSteps(250, 0, 1000));
        assertEquals(List.of(3L, 6L, 9L), evaluatedSteps(3, 0, 10));
    }

    @Test
    void aResumedRunKeepsTheSameStepsAndZeroMeansNever() {
        assertEquals(List.of(500L, 750L), evaluatedSteps(250, 400, 1000));
        assertEquals(List.of(), evaluatedSteps(0, 0, 1000));
    }
}
