package io.difflab.plugins.metrics.evaluator;

/**
 * The JSON beside a cached evaluator's parameters: what it is, how it was made and how good it is.
 *
 * @param dataset       the dataset name (e.g. {@code fashion-mnist})
 * @param trainChecksum checksum of the train split it was trained on
 * @param testChecksum  checksum of the test split its accuracy was measured on
 * @param numClasses    number of classes of its head
 * @param channels      image channels
 * @param height        image height
 * @param width         image width
 * @param sha256        SHA-256 (hex) of the parameter file
 * @param testAccuracy  top-1 accuracy on the whole test split
 * @param trainSeconds  wall time of training
 * @param recipe        the training recipe
 * @param trainData     {@link DataFingerprint} of the train split it was trained on (null in older manifests)
 * @param testData      {@link DataFingerprint} of the test split its accuracy was measured on
 */
public record EvaluatorManifest(String dataset, String trainChecksum, String testChecksum, int numClasses,
                                int channels, int height, int width, String sha256, double testAccuracy,
                                double trainSeconds, EvaluatorRecipe recipe, String trainData, String testData) {

    /** Name of the JSON file in the cache folder. */
    public static final String FILE = "evaluator.json";

    /** Name of the parameter file in the cache folder. */
    public static final String PARAMETERS = "evaluator.params";
}
