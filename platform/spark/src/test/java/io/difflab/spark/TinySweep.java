package io.difflab.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cluster tests' sweep: classifier-free guidance (the real cfdg, unet, fashion-mnist and
 * metrics plugins on real Fashion-MNIST) at four scales, one training shared by all four cells.
 */
final class TinySweep {

    private TinySweep() {
    }

    /** Writes {@code <name>.yaml} and its base spec into {@code dir}, the training {@code steps} long. */
    static Path write(Path dir, String name, int steps, int checkpointEvery) throws IOException {
        Files.writeString(dir.resolve("tiny-cfdg.yaml"), """
                seed: 5
                device: cpu
                model: {name: cfdg, p_uncond: 0.2}
                dataset: {name: fashion-mnist, limit: 256}
                schedule: {name: linear, timesteps: 100}
                estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                            attention_resolutions: [], dropout: 0.0}
                train: {steps: %d, batch_size: 8, lr: 1.0e-3, warmup_steps: 2, log_every: 4, checkpoint_every: %d}
                sampler: {name: ddim, steps: 5}
                guidance: {name: classifier-free, scale: 1.0}
                sample: {count: 4, batch_size: 4}
                metrics: [{name: cost}]
                """.formatted(steps, checkpointEvery));
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                base: tiny-cfdg.yaml
                axes:
                  guidance.scale: [0, 1, 2, 3]
                """.formatted(name));
    }

    /** The run folder of {@code cell} under {@code <runs>/<sweep>/}, once it exists. */
    static Optional<Path> runFolder(Path sweepDir, String cell) throws IOException {
        if (!Files.isDirectory(sweepDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(sweepDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(cell + "-")).findFirst();
        }
    }
}
