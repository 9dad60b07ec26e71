package dev.stepmem.bench.gate;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JMH run of the working tree's {@link TtftGateBenchmark} over the plan's configurations,
 * read back from JMH's JSON results: per configuration, each measured invocation's TTFTs
 * {reference, candidate, slowed} in ms (NaN where not run). JMH's own output goes to a log; its
 * progress lines are echoed.
 */
final class GateRun {
    static final String BENCHMARK = TtftGateBenchmark.class.getName() + ".pair$";

    private GateRun() {
    }

    static List<String> command(Path candidateJar, Path referenceJar, GatePlan plan, double slowdown, Path json) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow", "-jar",
                candidateJar.toString(), BENCHMARK, "-f", String.valueOf(plan.forks()),
                "-wi", String.valueOf(plan.warmups()), "-i", String.valueOf(plan.iterations()),
                "-rf", "json", "-rff", json.toString(),
                "-p", "config=" + String.join(",", plan.configs()),
                "-p", "reference=" + referenceJar,
                "-p", "device=" + plan.device(),
                "-p", "slowdown=" + slowdown));
        if (plan.threads() != 1) {
            cmd.addAll(List.of("-jvmArgsAppend", "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED "
                    + "--sun-misc-unsafe-memory-access=allow -Dstepmem.threads=" + plan.threads()));
        }
        return cmd;
    }

    /** Runs JMH and returns configuration id to its invocations' {reference, candidate, slowed} TTFTs. */
    static Map<String, List<double[]>> measure(Path candidateJar, Path referenceJar, GatePlan plan, double slowdown,
                                               Path work, PrintStream log) {
        try {
            Files.createDirectories(work);
            Path json = work.resolve("jmh.json"), jmhLog = work.resolve("jmh.log");
            Files.deleteIfExists(json);
            Process p = new ProcessBuilder(command(candidateJar, referenceJar, plan, slowdown, json))
                    .directory(work.toFile()).redirectErrorStream(true).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 Writer out = Files.newBufferedWriter(jmhLog)) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.write(line + "\n");
                    if (line.startsWith("# Parameters: ") || line.startsWith("# Run progress: ")) {
                        log.println(line.substring(2));
                    }
                }
            }
            int code = p.waitFor();
            Map<String, List<double[]>> timings = Files.isRegularFile(json) ? read(Files.readString(json)) : Map.of();
            if (code != 0 || timings.isEmpty()) {
                throw new GateException(GateException.REGRESSION, "the benchmark run measured nothing (exit " + code
                        + "): " + ReferenceBuild.lastLine(jmhLog) + " (log: " + jmhLog + ")");
            }
            return timings;
        } catch (IOException e) {
            throw new GateException(GateException.NO_VERDICT, "cannot run the benchmarks in " + work + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GateException(GateException.NO_VERDICT, "interrupted");
        }
    }

    /** JMH's JSON results: per configuration, every measured invocation of every fork. */
    static Map<String, List<double[]>> read(String json) throws IOException {
        JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        Map<String, List<double[]>> timings = new LinkedHashMap<>();
        for (JsonNode entry : mapper.readTree(json)) {
            JsonNode metrics = entry.path("secondaryMetrics");
            List<Double> ref = values(metrics.path("referenceMs")), cand = values(metrics.path("candidateMs")),
                    slowed = values(metrics.path("slowedMs"));
            if (cand.size() != ref.size() || slowed.size() != ref.size()) {
                throw new IOException("JMH results: the builds' sample counts differ for " + entry.path("params"));
            }
            List<double[]> rows = new ArrayList<>();
            for (int i = 0; i < ref.size(); i++) {
                rows.add(new double[] {ref.get(i), cand.get(i), slowed.get(i)});
            }
            timings.put(entry.path("params").path("config").asText(), rows);
        }
        return timings;
    }

    private static List<Double> values(JsonNode metric) {
        List<Double> values = new ArrayList<>();
        for (JsonNode fork : metric.path("rawData")) {
            fork.forEach(v -> values.add(v.asDouble()));
        }
        return values;
    }
}
