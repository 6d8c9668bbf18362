package io.difflab.spark;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One attempt of a sweep cell as a Spark task carries it to an executor: the {@code difflab cell}
 * command line of the driver's distribution, its environment and folders. A plain value (it names
 * only JDK types), so executors need no diffusion-lab classes; {@link CellProcess} runs it.
 *
 * @param cellId   the cell's id, for messages
 * @param command  {@code <distribution>/bin/difflab cell <run-dir> ...}
 * @param env      variables set for the cell besides the executor's own (the tracking store)
 * @param workDir  the folder the cell runs in when it exists on the executor's machine (the driver's)
 * @param runDir   the cell's run folder
 * @param log      the file its output is appended to ({@code cell.log} in the run folder)
 * @param gpu      whether the cell asked for a GPU ({@code device: gpu})
 * @param ownGpus  whether executors schedule GPUs (not a local master): the task then sees only the
 *                 GPU Spark gave it, or none
 */
public record CellTask(String cellId, List<String> command, Map<String, String> env, String workDir, String runDir,
                       String log, boolean gpu, boolean ownGpus) implements Serializable {

    private static final long serialVersionUID = 1L;

    public CellTask {
        command = List.copyOf(command);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }
}
