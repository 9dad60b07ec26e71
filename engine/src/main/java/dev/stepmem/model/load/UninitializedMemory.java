package dev.stepmem.model.load;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Off-heap buffers that the caller overwrites completely, allocated with C malloc (not zeroed)
 * and freed when the arena closes. {@link Arena#allocate(long, long)} zeroes every byte on the
 * calling thread first: for 13.5 GB of synthetic 7B weights that single-threaded pass (which
 * also takes all the page faults) costs more than the parallel fill that follows. Falls back to
 * {@code arena.allocate} when malloc cannot be called (no native linker, or malloc fails).
 *
 * <p>Uses restricted FFM methods (downcall, reinterpret): the engine runs with
 * {@code --enable-native-access=ALL-UNNAMED}; without it the JDK only prints a warning.
 */
@SuppressWarnings("restricted")
final class UninitializedMemory {
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        MethodHandle malloc = null, free = null;
        try {
            Linker linker = Linker.nativeLinker();
            MemoryLayout sizeT = linker.canonicalLayouts().get("size_t");
            if (sizeT instanceof ValueLayout.OfLong) {
                malloc = linker.downcallHandle(linker.defaultLookup().find("malloc").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                free = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(),
                        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            }
        } catch (RuntimeException | LinkageError e) {
            malloc = null;
            free = null;
        }
        MALLOC = malloc;
        FREE = free;
    }

    private UninitializedMemory() {
    }

    /** bytes of native memory with undefined contents, at least 16-byte aligned, freed with arena. */
    static MemorySegment allocate(Arena arena, long bytes) {
        if (MALLOC != null && bytes > 0) {
            MemorySegment p;
            try {
                p = (MemorySegment) MALLOC.invokeExact(bytes);
            } catch (Throwable t) {
                p = MemorySegment.NULL;
            }
            if (!p.equals(MemorySegment.NULL)) {
                return p.reinterpret(bytes, arena, UninitializedMemory::free);
            }
        }
        return arena.allocate(bytes, 64);
    }

    private static void free(MemorySegment p) {
        try {
            FREE.invokeExact(p);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}
