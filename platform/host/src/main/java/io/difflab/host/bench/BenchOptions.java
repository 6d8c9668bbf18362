package io.difflab.host.bench;

import io.difflab.api.ImageShape;
import io.difflab.kit.nn.UNet;
import io.difflab.kit.nn.UNetBuilder;

import java.util.Arrays;
import java.util.List;

/**
 * Command-line settings of {@link UNetBench}, {@code --key value} pairs; the same keys as
 * bench/unet_torch.py so both sides run one configuration.
 */
record BenchOptions(String phase, int batch, int steps, int warmup, ImageShape image, int classes,
                    boolean learnSigma, int baseChannels, List<Integer> channelMult, int numResBlocks,
                    List<Integer> attentionResolutions, int numHeads, int numHeadChannels, float dropout, boolean resblockUpdown,
                    boolean useScaleShiftNorm, boolean rescaleSkip, long seed) {

    static BenchOptions parse(String[] args) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --key value pairs, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        int size = Integer.parseInt(m.getOrDefault("size", "28"));
        return new BenchOptions(m.getOrDefault("phase", "train"),
                Integer.parseInt(m.getOrDefault("batch", "64")),
                Integer.parseInt(m.getOrDefault("steps", "20")),
                Integer.parseInt(m.getOrDefault("warmup", "3")),
                new ImageShape(Integer.parseInt(m.getOrDefault("channels", "1")), size, size),
                Integer.parseInt(m.getOrDefault("classes", "0")),
                Boolean.parseBoolean(m.getOrDefault("learn-sigma", "false")),
                Integer.parseInt(m.getOrDefault("base", "64")),
                ints(m.getOrDefault("mult", "1,2,2")),
                Integer.parseInt(m.getOrDefault("res-blocks", "2")),
                ints(m.getOrDefault("attn", "14")),
                Integer.parseInt(m.getOrDefault("heads", "4")),
                Integer.parseInt(m.getOrDefault("head-channels", "-1")),
                Float.parseFloat(m.getOrDefault("dropout", "0.1")),
                Boolean.parseBoolean(m.getOrDefault("resblock-updown", "false")),
                Boolean.parseBoolean(m.getOrDefault("scale-shift", "false")),
                Boolean.parseBoolean(m.getOrDefault("rescale-skip", "false")),
                Long.parseLong(m.getOrDefault("seed", "0")));
    }

    private static List<Integer> ints(String csv) {
        return csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    UNet build() {
        UNetBuilder b = UNet.builder().setImageShape(image)
                .optOutChannels(learnSigma ? 2 * image.channels() : image.channels())
                .optNumClasses(classes).optBaseChannels(baseChannels).optChannelMult(channelMult)
                .optNumResBlocks(numResBlocks).optAttentionResolutions(attentionResolutions).optNumHeads(numHeads)
                .optNumHeadChannels(numHeadChannels)
                .optDropout(dropout).optResblockUpdown(resblockUpdown).optUseScaleShiftNorm(useScaleShiftNorm)
                .optRescaleSkip(rescaleSkip);
        return b.build();
    }

    String describe() {
        return "image " + image.channels() + "x" + image.height() + "x" + image.width() + ", batch " + batch
                + ", base " + baseChannels + ", mult " + channelMult + ", res-blocks " + numResBlocks
                + ", attn " + attentionResolutions + ", heads " + numHeads + ", head-channels " + numHeadChannels + ", dropout " + dropout
                + ", classes " + classes + ", learn-sigma " + learnSigma + ", resblock-updown " + resblockUpdown
                + ", scale-shift " + useScaleShiftNorm + ", rescale-skip " + rescaleSkip;
    }
}
