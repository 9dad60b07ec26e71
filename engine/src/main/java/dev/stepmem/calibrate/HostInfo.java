package dev.stepmem.calibrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The CPU's name and the machine's memory, from /proc (Linux), with neutral fallbacks elsewhere. */
public record HostInfo(String cpuName, long memTotal, long memAvailable) {

    public static HostInfo read() {
        String cpu = procField("/proc/cpuinfo", "model name");
        long total = kib(procField("/proc/meminfo", "MemTotal"));
        long available = kib(procField("/proc/meminfo", "MemAvailable"));
        if (cpu == null) {
            cpu = System.getProperty("os.arch") + " CPU";
        }
        long heapMax = Runtime.getRuntime().maxMemory();
        return new HostInfo(cpu.trim(), total > 0 ? total : heapMax, available > 0 ? available : heapMax);
    }

    private static String procField(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** "24576000 kB" -> bytes; -1 if absent. */
    private static long kib(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.replace("kB", "").trim()) * 1024;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
