package io.difflab.datasets.shapes;

import io.difflab.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapesGeneratorTest {

    private static final ShapesSplit SPLIT = ShapesGenerator.generate(0, Split.TRAIN, 3000, 32);

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOrSplitOthers() {
        ShapesSplit again = ShapesGenerator.generate(0, Split.TRAIN, 3000, 32);
        assertArrayEquals(SPLIT.pixels(), again.pixels());
        assertArrayEquals(SPLIT.captions(), again.captions());
        assertArrayEquals(SPLIT.scenes(), again.scenes());
        assertFalse(Arrays.equals(SPLIT.captions(), ShapesGenerator.generate(1, Split.TRAIN, 3000, 32).captions()));
        assertFalse(Arrays.equals(SPLIT.captions(), ShapesGenerator.generate(0, Split.TEST, 3000, 32).captions()));
    }

    @Test
    void aSmallerSplitIsThePrefixOfALargerOne() {
        ShapesSplit small = ShapesGenerator.generate(0, Split.TRAIN, 100, 32);
        assertArrayEquals(Arrays.copyOf(SPLIT.pixels(), small.pixels().length), small.pixels());
        assertArrayEquals(Arrays.copyOf(SPLIT.captions(), 100), small.captions());
    }

    @Test
    void everyCaptionIsTrueOfItsSceneAndParsesBackToIt() {
        for (int i = 0; i < SPLIT.size(); i++) {
            SceneRequest request = CaptionParser.parse(SPLIT.captions()[i]);
            assertTrue(request.isSatisfiedBy(SPLIT.scenes()[i]), SPLIT.captions()[i] + " vs " + SPLIT.scenes()[i]);
            assertEquals(SPLIT.captions()[i], CaptionGrammar.caption(request));
        }
    }

    @Test
    void objectsNeverOverlapAndStayInsideTheImage() {
        for (Scene scene : SPLIT.scenes()) {
            assertFalse(scene.hasOverlap(SceneLayout.GAP), scene::toString);
            for (SceneObject o : scene.objects()) {
                double r = o.size().radius() + SceneLayout.BORDER;
                assertTrue(o.x() - r >= -1e-12 && o.x() + r <= 1 + 1e-12 && o.y() - r >= -1e-12
                        && o.y() + r <= 1 + 1e-12, o::toString);
            }
        }
    }

    @Test
    void relationsArePlacedUnmistakably() {
        int relations = 0;
        for (int i = 0; i < SPLIT.size(); i++) {
            SceneRequest request = CaptionParser.parse(SPLIT.captions()[i]);
            if (request.relation() != null) {
                relations++;
                SceneObject a = SPLIT.scenes()[i].matching(request.groups().get(0).colour(),
                        request.groups().get(0).shape(), null).get(0);
                SceneObject b = SPLIT.scenes()[i].matching(request.groups().get(1).colour(),
                        request.groups().get(1).shape(), null).get(0);
                assertTrue(SceneLayout.clearly(request.relation(), a, b), SPLIT.captions()[i]);
            }
        }
        assertTrue(relations > 600, relations + " relation captions in 3000");
    }

    @Test
    void theGrammarCoversEveryShapeColourSizeCountRelationAndForm() {
        Set<ShapeKind> shapes = EnumSet.noneOf(ShapeKind.class);
        Set<Colour> colours = EnumSet.noneOf(Colour.class);
        Set<ObjectSize> sizes = EnumSet.noneOf(ObjectSize.class);
        Set<ObjectSize> namedSizes = EnumSet.noneOf(ObjectSize.class);
        Set<Relation> relations = EnumSet.noneOf(Relation.class);
        Set<Integer> countingCounts = new HashSet<>();
        Set<Integer> objectCounts = new HashSet<>();
        Set<Integer> bindingGroups = new HashSet<>();
        boolean unnamedSize = false;
        for (int i = 0; i < SPLIT.size(); i++) {
            SceneRequest request = CaptionParser.parse(SPLIT.captions()[i]);
            for (SceneObject o : SPLIT.scenes()[i].objects()) {
                shapes.add(o.shape());
                colours.add(o.colour());
                sizes.add(o.size());
            }
            for (ObjectGroup g : request.groups()) {
                if (g.size() != null) {
                    namedSizes.add(g.size());
                } else {
                    unnamedSize = true;
                }
            }
            objectCounts.add(SPLIT.scenes()[i].size());
            if (request.relation() != null) {
                relations.add(request.relation());
            } else if (request.groups().size() == 1) {
                countingCounts.add(request.groups().get(0).count());
            } else {
                bindingGroups.add(request.groups().size());
            }
        }
        assertEquals(EnumSet.allOf(ShapeKind.class), shapes);
        assertEquals(EnumSet.allOf(Colour.class), colours);
        assertEquals(EnumSet.allOf(ObjectSize.class), sizes);
        assertEquals(EnumSet.allOf(ObjectSize.class), namedSizes);
        assertTrue(unnamedSize);
        assertEquals(EnumSet.allOf(Relation.class), relations);
        assertEquals(Set.of(1, 2, 3, 4), countingCounts);
        assertEquals(Set.of(1, 2, 3, 4), objectCounts);
        assertEquals(Set.of(2, 3), bindingGroups);
    }

    @Test
    void itemSeedsDifferAcrossSplitsAndIndices() {
        assertNotEquals(ShapesGenerator.itemSeed(0, Split.TRAIN, 0), ShapesGenerator.itemSeed(0, Split.TEST, 0));
        assertNotEquals(ShapesGenerator.itemSeed(0, Split.TRAIN, 0), ShapesGenerator.itemSeed(0, Split.TRAIN, 1));
        assertNotEquals(ShapesGenerator.itemSeed(0, Split.TRAIN, 0), ShapesGenerator.itemSeed(1, Split.TRAIN, 0));
    }

    /**
     * Measured, not asserted: the time to generate the default splits here (32 and 64 pixels), and
     * to write the 32-pixel ones to the cache and read them back.
     */
    @Test
    void generationSpeedIsMeasured(@TempDir Path folder) {
        for (int side : new int[] {32, 64}) {
            ShapesGenerator.generate(0, Split.TEST, 2000, side); // warm-up
            long start = System.nanoTime();
            ShapesGenerator.generate(0, Split.TRAIN, 60_000, side);
            ShapesGenerator.generate(0, Split.TEST, 10_000, side);
            System.out.printf("shapes-captions %dx%d, 60000 + 10000 images on %d processors: generated in %.2f s%n",
                    side, side, Runtime.getRuntime().availableProcessors(), (System.nanoTime() - start) / 1e9);
        }
        ShapesCache cache = new ShapesCache(folder);
        long start = System.nanoTime();
        cache.obtain(0, 32, Split.TRAIN, 60_000);
        cache.obtain(0, 32, Split.TEST, 10_000);
        double written = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        cache.obtain(0, 32, Split.TRAIN, 60_000);
        cache.obtain(0, 32, Split.TEST, 10_000);
        System.out.printf("shapes-captions 32x32: generated and cached in %.2f s, read back from the cache in %.2f s%n",
                written, (System.nanoTime() - start) / 1e9);
    }
}
