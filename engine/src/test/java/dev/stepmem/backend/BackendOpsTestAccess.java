package dev.stepmem.backend;

/** Lets tests in other packages use the shared tolerance check. */
public final class BackendOpsTestAccess {
    private BackendOpsTestAccess() {
    }

    /** max |want - got| / max |want| must not exceed tol (0 = exact). */
    public static void assertClose(float[] want, float[] got, double tol, String what) {
        BackendOpsTest.assertClose(want, got, tol, what);
    }
}
