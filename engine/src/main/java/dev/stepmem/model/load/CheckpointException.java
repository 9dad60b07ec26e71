package dev.stepmem.model.load;

/** A checkpoint, config or tokenizer file that cannot be used; the message names the file and the problem. */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String file, String problem) {
        super(file + ": " + problem);
    }

    public CheckpointException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
