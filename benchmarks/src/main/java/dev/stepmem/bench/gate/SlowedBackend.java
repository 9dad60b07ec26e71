package dev.stepmem.bench.gate;

import dev.stepmem.backend.Backend;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * A backend whose every op takes {@code 1 + slowdown} times as long: after each call it spins for
 * {@code slowdown} times the call's own time (read from the backend's clock, which waits for a
 * GPU's queue). Results are untouched. This is the uniform, deliberate slowdown the TTFT gate's
 * self-check times against the unslowed reference, to show which slowdowns the gate catches.
 */
public final class SlowedBackend {
    /** Calls that are not ops: forwarded as they are. */
    private static final Set<String> NOT_OPS = Set.of("name", "ledger", "nanoTime", "close", "toString",
            "hashCode", "equals");

    private SlowedBackend() {
    }

    /** {@code backend} itself when {@code slowdown} is 0, else the slowed proxy of it. */
    public static Backend wrap(Backend backend, double slowdown) {
        if (!(slowdown >= 0) || Double.isInfinite(slowdown)) {
            throw new IllegalArgumentException("slowdown must be a finite number >= 0, got " + slowdown);
        }
        if (slowdown == 0) {
            return backend;
        }
        InvocationHandler slowed = (proxy, method, args) -> {
            boolean op = !NOT_OPS.contains(method.getName());
            long start = op ? backend.nanoTime() : 0;
            Object result;
            try {
                result = method.invoke(backend, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (op) {
                long took = backend.nanoTime() - start;
                long until = System.nanoTime() + (long) (took * slowdown);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            return result;
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                slowed);
    }
}
