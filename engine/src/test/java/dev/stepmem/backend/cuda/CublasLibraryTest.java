package dev.stepmem.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a libcublas.so.N where CUDA machines keep it (a toolkit, Python's packages), newest first; the GEMM choice. */
class CublasLibraryTest {
    @TempDir
    Path dir;

    private Path touch(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "");
    }

    @Test
    void theNewestMajorVersionWinsWhereverItIs() throws IOException {
        Path toolkit = dir.resolve("cuda");
        touch("cuda/lib64/libcublas.so.12");
        touch("cuda/lib64/libcublasLt.so.12");
        Path wheel = touch("py/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.13");
        touch("py/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.13.0.2.14"); // not a soname
        List<Path> folders = CublasLibrary.folders(List.of(toolkit, dir.resolve("py")));
        assertEquals(Optional.of(wheel), CublasLibrary.find(folders));
        assertEquals(13, CublasLibrary.major(wheel));
    }

    @Test
    void aWheelsLtLibraryAndTheSiblingCudaRuntimeAreLoadedFirst() throws IOException {
        Path cublas = touch("site/nvidia/cublas/lib/libcublas.so.13");
        Path lt = touch("site/nvidia/cublas/lib/libcublasLt.so.13");
        Path cudart = touch("site/nvidia/cuda_runtime/lib/libcudart.so.13");
        touch("site/nvidia/cuda_runtime/lib/libcudart.so.12"); // another major version: not this one's
        assertEquals(List.of(cudart, lt), Cublas.dependencies(cublas));
        Path alone = touch("toolkit/lib64/libcublas.so.12");
        assertEquals(List.of(), Cublas.dependencies(alone));
    }

    @Test
    void distPackagesAndTheToolkitAreSearchedToo() throws IOException {
        Path debian = touch("usr/local/lib/python3.11/dist-packages/nvidia/cublas/lib/libcublas.so.12");
        assertEquals(Optional.of(debian), CublasLibrary.find(CublasLibrary.folders(List.of(dir.resolve("usr")))));
        assertEquals(Optional.empty(), CublasLibrary.find(CublasLibrary.folders(List.of(dir.resolve("nothing-here")))));
        assertThrows(IllegalArgumentException.class, () -> CublasLibrary.major(Path.of("libcublasLt.so.12")));
    }

    @Test
    void theGemmChoiceIsAutoCublasOrKernelAndNothingElse() {
        assertEquals(CudaGemm.AUTO, CudaGemm.parse(null));
        assertEquals(CudaGemm.AUTO, CudaGemm.parse(" "));
        assertEquals(CudaGemm.CUBLAS, CudaGemm.parse("cuBLAS"));
        assertEquals(CudaGemm.KERNEL, CudaGemm.parse("kernel"));
        var e = assertThrows(IllegalArgumentException.class, () -> CudaGemm.parse("fast"));
        assertTrue(e.getMessage().equals("STEPMEM_CUDA_GEMM must be auto, cublas or kernel, got 'fast'"), e.getMessage());
    }
}
