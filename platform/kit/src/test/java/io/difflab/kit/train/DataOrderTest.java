package io.difflab.kit.train;

import ai.djl.ndarray.NDManager;
import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * {@link DataOrder}: every image once per epoch (batches that straddle two epochs included), the
 * shuffles a function of (seed, epoch), and the batch of any step the same whether reached step by
 * step or right after a resume; the trainer visits exactly these batches and records its position.
 */
class DataOrderTest {

    private static final int SIZE = 10;
    private static final int BATCH = 3;

    /** The dataset positions visited by steps [0, steps), in order. */
    private static List<Integer> visits(DataOrder order, long fromStep, long toStep) {
        List<Integer> out = new ArrayList<>();
        for (long step = fromStep; step < toStep; step++) {
            for (int i : order.batch(step, BATCH)) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void everyImageIsSeenOncePerEpochEvenAcrossBatchesThatStraddleEpochs() {
        // 10 images in batches of 3: 30 positions are exactly 3 epochs, in 10 steps
        List<Integer> seen = visits(new DataOrder(SIZE, 42), 0, 10);
        assertEquals(30, seen.size());
        List<Integer> all = IntStream.range(0, SIZE).boxed().toList();
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> part = new ArrayList<>(seen.subList(epoch * SIZE, (epoch + 1) * SIZE));
            assertNotEquals(all, part, "epoch " + epoch + " is shuffled");
            Collections.sort(part);
            assertEquals(all, part, "epoch " + epoch + " holds each image once");
        }
        assertNotEquals(seen.subList(0, SIZE), seen.subList(SIZE, 2 * SIZE), "each epoch has its own shuffle");
    }

    @Test
    void theShufflesAreAFunctionOfTheSeed() {
        assertEquals(visits(new DataOrder(SIZE, 42), 0, 10), visits(new DataOrder(SIZE, 42), 0, 10));
        assertNotEquals(visits(new DataOrder(SIZE, 42), 0, 10), visits(new DataOrder(SIZE, 43), 0, 10));
    }

    @Test
    void theBatchOfAStepIsTheSameAfterAResumeAndInAnyOrderOfAccess() {
        DataOrder continuous = new DataOrder(SIZE, 7);
        List<Integer> whole = visits(continuous, 0, 20);
        // a resumed process starts a fresh order at the checkpoint's step
        for (int resumeAt : new int[] {1, 3, 4, 7, 13}) {
            List<Integer> joined = new ArrayList<>(visits(new DataOrder(SIZE, 7), 0, resumeAt));
            joined.addAll(visits(new DataOrder(SIZE, 7), resumeAt, 20));
            assertEquals(whole, joined, "resumed at step " + resumeAt);
        }
        DataOrder jumping = new DataOrder(SIZE, 7);
        for (int step : new int[] {17, 2, 9, 0, 19, 2}) {
            assertArrayEquals(continuous.batch(step, BATCH), jumping.batch(step, BATCH), "step " + step);
        }
    }

    @Test
    void anEmptyTrainingSetIsRefused() {
        assertEquals("the training set is empty",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new DataOrder(0, 1))
                        .getMessage());
    }

    @Test
    void theTrainerVisitsTheseBatchesAndCheckpointsItsPositionAcrossAResume(@TempDir Path tmp) {
        TrainSettings settings = new TrainSettings(7, BATCH, 0.01, 0, 0.0, 0.9, 1, 4);
        List<Integer> whole = trainedOn(tmp.resolve("whole"), settings, false);
        assertEquals(visits(new DataOrder(SIZE, 5), 0, 7), whole, "the trainer draws DataOrder's batches");

        TrainSettings firstPart = new TrainSettings(4, BATCH, 0.01, 0, 0.0, 0.9, 1, 4);
        List<Integer> joined = new ArrayList<>(trainedOn(tmp.resolve("split"), firstPart, false));
        Properties state = CheckpointStore.readState(new CheckpointStore(tmp.resolve("split"), 2).latest().orElseThrow());
        assertEquals("12", state.getProperty("data_position"), "4 steps of 3 images");
        assertEquals("4", state.getProperty("step"));
        joined.addAll(trainedOn(tmp.resolve("split"), settings, true));
        assertEquals(whole, joined, "the resumed run continues the same data order");
    }

    /** The images a training of the bowl loads, in order (the bowl ignores them; the order is what counts). */
    private static List<Integer> trainedOn(Path dir, TrainSettings settings, boolean resume) {
        List<Integer> loaded = Collections.synchronizedList(new ArrayList<>());
        ImageDataset recording = new ImageDataset() {
            public String id() { return "recording/train"; }
            public int size() { return SIZE; }
            public ImageShape shape() { return new ImageShape(1, 2, 2); }
            public void copyImage(int index, float[] into, int offset) {
                loaded.add(index);
                Arrays.fill(into, offset, offset + 4, index / 10f);
            }
            public int label(int index) { return -1; }
            public int numClasses() { return 0; }
            public List<String> classNames() { return List.of(); }
            public String checksum() { return "0"; }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingSession session = new TrainingSession(QuadraticBowl.create(manager), manager);
            new Trainer(settings, List.of()).train(QuadraticBowl.job(session, recording, 5, manager,
                    new CheckpointStore(dir, 2), resume));
        }
        assertFalse(loaded.isEmpty());
        return loaded;
    }
}
