package io.difflab.kit.train;

import java.nio.file.Path;

/**
 * One complete checkpoint folder: the weights ({@code model.ndlist}), their moving average
 * ({@code ema.ndlist}), the optimizer state ({@code optimizer.ndlist}) and {@code state.properties}.
 *
 * @param step the number of optimizer steps taken when it was written
 * @param dir  its folder
 */
public record Checkpoint(long step, Path dir) {

    static final String MODEL = "model.ndlist";
    static final String EMA = "ema.ndlist";
    static final String OPTIMIZER = "optimizer.ndlist";
    static final String STATE = "state.properties";

    public Path model() {
        return dir.resolve(MODEL);
    }

    public Path ema() {
        return dir.resolve(EMA);
    }

    public Path optimizer() {
        return dir.resolve(OPTIMIZER);
    }

    public Path state() {
        return dir.resolve(STATE);
    }
}
