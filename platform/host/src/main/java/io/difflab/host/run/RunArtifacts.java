package io.difflab.host.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files a run leaves in its folder besides checkpoints: the sample grid ({@code samples.png}),
 * the raw samples with their requested labels ({@code samples.npz}, NumPy's format), the caption
 * each sample was asked for ({@code captions.txt}, one per line, when captions were) and the final
 * results ({@code results.properties}).
 */
public final class RunArtifacts {

    public static final String GRID = "samples.png";
    public static final String SAMPLES = "samples.npz";
    public static final String RESULTS = "results.properties";
    public static final String CAPTIONS = "captions.txt";

    private final Path runDir;

    public RunArtifacts(Path runDir) {
        this.runDir = runDir;
    }

    public Path grid() {
        return runDir.resolve(GRID);
    }

    public Path samples() {
        return runDir.resolve(SAMPLES);
    }

    public Path results() {
        return runDir.resolve(RESULTS);
    }

    /** Writes the grid and the raw samples (atomically each). */
    public void writeSamples(NDArray images, int[] requestedLabels) {
        int columns = (int) Math.ceil(Math.sqrt(images.getShape().get(0)));
        SampleGrid.write(images, columns, 2, grid());
        try (NDManager scratch = images.getManager().newSubManager()) {
            NDArray x = images.duplicate();
            x.setName("samples");
            NDList list = new NDList(x);
            if (requestedLabels != null) {
                NDArray labels = scratch.create(requestedLabels);
                labels.setName("labels");
                list.add(labels);
            }
            list.attach(scratch);
            atomically(samples(), os -> list.encode(os, NDList.Encoding.NPZ));
        }
    }

    /** Reads back {@code samples.npz}: the images, and the labels when present. */
    public NDList readSamples(NDManager manager) {
        try (InputStream is = new BufferedInputStream(Files.newInputStream(samples()))) {
            NDList list = NDList.decode(manager, is);
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + samples(), e);
        }
    }

    public Path captions() {
        return runDir.resolve(CAPTIONS);
    }

    /** Writes the requested captions, one per line (line breaks in a caption become spaces); nothing when null. */
    public void writeCaptions(List<String> captions) {
        if (captions == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        captions.forEach(c -> sb.append(c.replaceAll("\\R", " ")).append('\n'));
        atomically(captions(), os -> os.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The requested captions of a run, or null when it has none. */
    public List<String> readCaptions() {
        try {
            return Files.isRegularFile(captions())
                    ? Files.readAllLines(captions(), java.nio.charset.StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + captions(), e);
        }
    }

    /** Writes the final metrics, sorted by key. */
    public void writeResults(Map<String, Double> results) {
        StringBuilder sb = new StringBuilder("# final results of this run\n");
        new TreeMap<>(results).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        atomically(results(), os -> os.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private interface Writer {
        void write(OutputStream os) throws IOException;
    }

    private void atomically(Path file, Writer writer) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                writer.write(os);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
