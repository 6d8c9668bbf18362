package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Condition;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;
import io.difflab.kit.engine.Scalars;

import java.util.Map;
import java.util.function.Function;

/**
 * The transformer's loss (Ramesh et al. 2021, sec. 2.2): the images are turned into tokens by the
 * trained dVAE (the argmax of its encoder's logits, under its averaged weights, frozen), and the
 * cross-entropies of the next caption token, L_text, and of the next image token, L_img, each a
 * mean over its positions, are weighted (L_text + w·L_img)/(1 + w) with w = 7 in the paper, because
 * the image tokens are what the model is for. Logged: {@code train.loss_text} and
 * {@code train.loss_image} in nats per token.
 */
final class DalleObjective implements TrainingObjective {

    private final DalleTransformer transformer;
    private final String captionEntry;
    private final String dvaeName;
    private final double imageWeight;

    DalleObjective(DalleTransformer transformer, String captionEntry, String dvaeName, double imageWeight) {
        this.transformer = transformer;
        this.captionEntry = captionEntry;
        this.dvaeName = dvaeName;
        this.imageWeight = imageWeight;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        Condition.Entry caption = batch.condition().get(captionEntry);
        NDArray ids = caption.arrays().get(0);
        NDArray mask = caption.arrays().get(1);
        NDArray images = batch.images();
        long n = images.getShape().get(0);
        NDArray codeLogits = batch.trained().forward(dvaeName, new NDList(images)).head();
        NDArray tokens = codeLogits.argMax(1).reshape(n, transformer.imageTokens()).toType(DataType.INT64, false);
        NDArray logits = network.apply(new NDList(ids, mask, tokens)).head();
        int textLength = transformer.textLength();
        int textVocabulary = transformer.textVocabulary();
        NDArray text = transformer.paddedText(ids, mask);
        NDArray textLogits = logits.get(new NDIndex(":, :{}, :{}", textLength - 1, textVocabulary));
        NDArray imageLogits = logits.get(new NDIndex(":, {}:, {}:", textLength - 1, textVocabulary));
        NDArray lossText = crossEntropy(textLogits, text.get(new NDIndex(":, 1:")));
        NDArray lossImage = crossEntropy(imageLogits, tokens);
        extra.put("train.loss_text", lossText);
        extra.put("train.loss_image", lossImage);
        return Scalars.div(lossText.add(Scalars.mul(lossImage, imageWeight)), 1 + imageWeight);
    }

    /** The mean of −log softmax(logits)[target] over every position; logits (N, T, V), targets (N, T). */
    static NDArray crossEntropy(NDArray logits, NDArray targets) {
        NDArray index = targets.toType(DataType.INT64, false).expandDims(-1);
        return logits.logSoftmax(-1).gather(index, -1).mean().neg();
    }
}
