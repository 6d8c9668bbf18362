package io.difflab.datasets.shapes.evaluator;

/**
 * The JSON beside a cached scene evaluator's parameters: what it is, how it was made, how accurate.
 *
 * @param dataset       the train split's id
 * @param side          image side in pixels
 * @param trainChecksum checksum of the train split it was trained on
 * @param testChecksum  checksum of the test split its accuracy was measured on
 * @param sha256        SHA-256 (hex) of the parameter file
 * @param accuracy      its accuracy per attribute on the whole test split
 * @param trainSeconds  wall time of training
 * @param recipe        the training recipe
 */
public record SceneEvaluatorManifest(String dataset, int side, String trainChecksum, String testChecksum,
                                     String sha256, SceneAccuracy accuracy, double trainSeconds,
                                     SceneEvaluatorRecipe recipe) {

    /** Name of the JSON file in the cache folder. */
    public static final String FILE = "scene-evaluator.json";

    /** Name of the parameter file in the cache folder. */
    public static final String PARAMETERS = "scene-evaluator.params";
}
