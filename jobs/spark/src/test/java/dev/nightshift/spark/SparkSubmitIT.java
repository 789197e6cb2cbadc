package dev.nightshift.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner as a cluster gets it: spark-submit (Spark's own launcher class) with Spark's jars on the
 * classpath and nightshift's given as {@code --jars} and the application jar, which Spark loads by a class
 * loader of its own. The extraction processes must still find nightshift's classes (they are not on the
 * JVM's classpath there): every readable sample is summarized, as locally.
 */
class SparkSubmitIT {
    @TempDir
    Path dir;

    @Test
    void sparkSubmitWithJarsSummarizesTheSamples() throws Exception {
        // A Spark "installation": the build's jars without nightshift's own.
        Path jars = Files.createDirectories(dir.resolve("spark-jars"));
        try (var lib = Files.list(SparkClusterIT.LIB)) {
            for (Path j : lib.toList()) if (!j.getFileName().toString().startsWith("nightshift-")) Files.createSymbolicLink(jars.resolve(j.getFileName()), j);
        }
        String appLib;
        try (var app = Files.list(Path.of("target", "app-lib").toAbsolutePath())) {
            appLib = app.map(Path::toString).sorted().collect(Collectors.joining(","));
        }
        Path out = dir.resolve("out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        command.addAll(List.of(SparkClusterIT.opens().split(" ")));
        command.addAll(List.of("-Dnightshift.logdir=" + dir.resolve("logs"), "-cp", jars + "/*", "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
                "--class", SparkMain.class.getName(), "--jars", appLib, SparkClusterIT.APP.toString(),
                "summarize", SparkRunnerIT.SAMPLES.toString(), "--out", out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("submit.log").toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(dir.resolve("submit.log"));
        assertThat(p.exitValue()).as(log).isZero();
        Path db = dir.resolve("db").resolve("nightshift");
        assertThat(SparkRunnerIT.spark("import", out.toString(), "--db", db.toString()).code()).isZero();
        // The samples: 20 files, 25 documents; only the corrupt PDF and the empty file fail.
        var docs = SparkRunnerIT.documents(db);
        assertThat(docs).hasSize(25);
        assertThat(docs.stream().filter(d -> d.contains(" SUCCESS ")).count()).as(String.join("\n", docs)).isEqualTo(18);
    }
}
