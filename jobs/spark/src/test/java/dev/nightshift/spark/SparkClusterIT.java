package dev.nightshift.spark;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spark standalone cluster on 127.0.0.1, from the Spark jars the build already has: a master and two
 * workers of one core each. The job runs on it; once a partition has committed, one executor is killed
 * (kill -9). Spark gives the lost tasks to another executor, and the results are complete and hold every
 * document once. Everything listens on loopback and is stopped at the end.
 */
class SparkClusterIT {
    static final Path LIB = Path.of("target", "lib").toAbsolutePath();
    static final Path APP = Path.of("target", "nightshift-spark.jar").toAbsolutePath();
    static final int FILES = 120;

    @TempDir
    static Path dir;
    static final List<Process> cluster = new ArrayList<>();
    static int masterPort;
    static Path home;

    @BeforeAll
    static void startCluster() throws Exception {
        // Workers start executors from $SPARK_HOME/jars: the build's jars are that folder.
        home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createSymbolicLink(home.resolve("jars"), LIB);
        masterPort = freePort();
        cluster.add(start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                "--webui-port", String.valueOf(freePort())));
        waitForPort(masterPort);
        for (int i = 1; i <= 2; i++) {
            cluster.add(start("worker" + i, "org.apache.spark.deploy.worker.Worker", "spark://127.0.0.1:" + masterPort, "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "1500m", "--webui-port", String.valueOf(freePort()),
                    "--work-dir", Files.createDirectories(dir.resolve("work" + i)).toString()));
        }
    }

    @AfterAll
    static void stopCluster() {
        for (Process p : cluster) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        executors().forEach(ProcessHandle::destroyForcibly);
    }

    static String opens() {
        StringBuilder s = new StringBuilder("-Djdk.reflect.useDirectMethodHandle=false");
        for (String p : List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
                "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs", "sun.security.action",
                "sun.util.calendar")) {
            s.append(" --add-opens=java.base/").append(p).append("=ALL-UNNAMED");
        }
        return s.toString();
    }

    private static Process start(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(List.of(opens().split(" ")));
        command.add("-Dnightshift.logdir=" + dir.resolve("logs-" + name));
        command.addAll(List.of("-cp", LIB + "/*", mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // else the launcher looks for a source build
        return pb.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void waitForPort(int port) throws Exception {
        for (int i = 0; i < 300; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the Spark master did not start: " + logs("master"));
    }

    static String logs(String name) throws IOException {
        Path log = dir.resolve("logs-" + name).resolve("nightshift.log");
        if (!Files.exists(log)) return "(no log)";
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static List<ProcessHandle> executors() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")
                && p.info().commandLine().orElse("").contains(dir.toString())).toList();
    }

    @Test
    void anExecutorKilledMidJobLeavesCompleteDuplicateFreeResults() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(docs.resolve(String.format("note-%03d.txt", i)), "Note " + i + ". The shipment of " + (100 + i)
                    + " crates arrived at the east quay on Monday. The harbour master counted them twice.\n\nA second paragraph says "
                    + "that crate " + i + " was damaged and that the insurer was told.");
        }
        Path out = dir.resolve("out");
        System.setProperty("spark.jars", APP.toString());
        System.setProperty("spark.executor.extraJavaOptions", opens());
        System.setProperty("spark.executor.memory", "1g");
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        System.setProperty("spark.ui.enabled", "false");
        CompletableFuture<SparkRunnerIT.Run> job = CompletableFuture.supplyAsync(() -> SparkRunnerIT.spark("summarize", docs.toString(),
                "--out", out.toString(), "--master", "spark://127.0.0.1:" + masterPort, "--partitions", "10", "--timeout", "30"));
        // Once a partition has committed, kill -9 one executor while the others are still to come.
        Path committed = out.resolve(PartitionRun.COMMITTED);
        Optional<ProcessHandle> victim = Optional.empty();
        for (int i = 0; i < 1800 && victim.isEmpty() && !job.isDone(); i++) {
            Thread.sleep(100);
            if (Files.isDirectory(committed) && Files.list(committed).count() >= 1) victim = executors().stream().findFirst();
        }
        if (victim.isEmpty()) {
            String why = job.isDone() ? "the job ended first: " + job.get().code() + " " + job.get().err() : "no executor process found";
            throw new AssertionError(why + "\nworker1: " + logs("worker1"));
        }
        victim.get().destroyForcibly();
        long committedWhenKilled = Files.list(committed).count();
        SparkRunnerIT.Run run = job.get(15, TimeUnit.MINUTES);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(committedWhenKilled).as("killed mid-job").isLessThan(10);

        // Complete and duplicate-free: every partition committed once, every file in exactly one of them.
        Configuration conf = new Configuration();
        List<String> locators = new ArrayList<>();
        try (var parts = Files.list(committed)) {
            for (Path part : parts.toList()) {
                for (Map<String, Object> row : ParquetTables.read(new org.apache.hadoop.fs.Path(part.toString()), "sources", conf)) {
                    locators.add((String) row.get("locator"));
                }
            }
        }
        Set<String> distinct = new HashSet<>(locators);
        assertThat(locators).hasSize(FILES);
        assertThat(distinct).hasSize(FILES);
        Path db = dir.resolve("db").resolve("nightshift");
        assertThat(SparkRunnerIT.spark("import", out.toString(), "--db", db.toString()).code()).isZero();
        assertThat(SparkRunnerIT.documents(db)).hasSize(FILES).allSatisfy(line -> assertThat(line).contains(" SUCCESS "));
    }
}
