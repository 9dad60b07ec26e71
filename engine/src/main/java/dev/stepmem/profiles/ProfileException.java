package dev.stepmem.profiles;

/** A profile file that cannot be used; the message names the file and, where one is at fault, the field. */
public final class ProfileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ProfileException(String file, String field, String problem) {
        super("profile " + file + (field == null ? "" : ": field '" + field + "'") + ": " + problem);
    }
}
