package io.difflab.plugins.dalle;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cosine annealing of the dVAE's temperature and KL weight, a pure function of the step. */
class AnnealTest {

    @Test
    void theTemperatureFallsFromOneToASixteenthAlongAHalfCosine() {
        Anneal tau = new Anneal(1, 1.0 / 16, 1000);
        assertEquals(1.0, tau.at(0), 1e-12);
        assertEquals((1 + 1.0 / 16) / 2, tau.at(500), 1e-12, "half way: the mean");
        assertEquals(1.0 / 16 + (1 - 1.0 / 16) * (1 + Math.cos(Math.PI / 4)) / 2, tau.at(250), 1e-12);
        assertEquals(1.0 / 16, tau.at(1000), 1e-12);
        assertEquals(1.0 / 16, tau.at(5000), 1e-12, "constant after the annealing");
        for (long s = 1; s <= 1000; s++) {
            assertTrue(tau.at(s) < tau.at(s - 1), "strictly falling at step " + s);
        }
    }

    @Test
    void theKlWeightRisesFromZeroAndAConstantIsConstant() {
        Anneal beta = new Anneal(0, 6.6, 5000);
        assertEquals(0.0, beta.at(0), 1e-12);
        assertEquals(3.3, beta.at(2500), 1e-12);
        assertEquals(6.6, beta.at(5000), 1e-12);
        assertEquals(2.0, Anneal.constant(2.0).at(0));
        assertEquals(2.0, new Anneal(0, 2.0, 0).at(0), "no annealing steps: the end value from the start");
        assertThrows(IllegalArgumentException.class, () -> new Anneal(0, 1, -1));
    }
}
