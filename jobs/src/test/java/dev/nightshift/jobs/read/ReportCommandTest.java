package dev.nightshift.jobs.read;

import dev.nightshift.jobs.Cli;
import dev.nightshift.jobs.run.SummarizeCommandTest;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML report as a person sees it: opened in a real headless Chromium (Debian's package; .ci/run
 * installs it), whose DOM after the page's script has run is checked.
 */
public class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void theReportShowsTotalsChartsFailuresAndFiltersItsTableInABrowser() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        copyTree(SummarizeCommandTest.SAMPLES, in);
        // A hostile name: it must show as text, never become markup or run.
        Files.writeString(in.resolve("<img src=x onerror=\"document.title='pwned'\">.txt"), "A note about the river ferry and its timetable.");
        Files.writeString(in.resolve("\"><script>document.title='owned'<.txt"),
                "The minutes say: </script><script>document.title='owned'</script> and \"><img src=y onerror=\"document.title='owned'\"> "
                        + "were typed into the form by the visitors of the harbour office.");
        String db = dir.resolve("db").toString();
        Cli.Result run = Cli.run("summarize", in.toString(), "--db", db);
        Path report = Path.of(db + ".report.html");
        assertThat(run.out()).contains("the report (open it in a browser):").contains(report.toString());
        assertThat(report).exists();
        String html = Files.readString(report);
        // Nothing fetched: no external script, style or font.
        assertThat(html).doesNotContain("<script src").doesNotContain("<link ").doesNotContain("@import").doesNotContain("url(http");
        assertThat(html).doesNotContain("<img src=x");

        Cli.Result again = Cli.run("report", "--db", db, "--out", dir.resolve("r.html").toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();

        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "SKIPPED: no chromium on this machine (apt-get install chromium); the report was "
                + "written and checked as a file, but not opened in a browser");
        String dom = dom(chromium, report, "");
        assertThat(dom).contains("data-ready=\"true\"").contains("data-requests=\"0\"");
        assertThat(total(dom, "documents")).isEqualTo(27);
        assertThat(total(dom, "failed")).isEqualTo(2);
        assertThat(total(dom, "images")).isEqualTo(4);
        // Charts drawn as SVG with shapes in them.
        assertThat(count(dom, "<svg")).isEqualTo(3);
        assertThat(count(dom, "<path")).isGreaterThan(5);
        // The failure list names the broken files with their reasons.
        assertThat(dom).contains("corrupt-report.pdf").contains("PARSE_ERROR: ").contains("EMPTY: the file is empty (0 bytes)");
        // The hostile name is text in the table, not an element, and nothing ran.
        assertThat(dom).contains("&lt;img src=x onerror=").doesNotContain("<img src=\"x\"").doesNotContain("<img src=\"y\"")
                .doesNotContain("pwned</title>").doesNotContain("owned</title>").contains("<title>nightshift report</title>");
        assertThat(dom).contains("\"&gt;&lt;script&gt;document.title='owned'&lt;.txt");
        assertThat(dom).contains("27 of 27 documents");

        // Filtering (the page takes a filter from its address, as a person types it into the box).
        String filtered = dom(chromium, report, "#filter=heating%20bill");
        assertThat(filtered).contains("2 of 27 documents");
        assertThat(count(filtered, "class=\"row\"")).isEqualTo(2);
        assertThat(filtered).contains("heating-bill-correction.txt");

        // A document's lineage opens (from the address, as a click opens it).
        String lineage = dom(chromium, report, "#open=1");
        assertThat(lineage).contains("<section id=\"details-section\"><h2>Lineage</h2>").contains("extraction  ");

        // The screenshot docs/reading.md shows.
        Path shot = Path.of("target", "report.png").toAbsolutePath();
        exec(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=5000",
                "--window-size=1280,1500", "--screenshot=" + shot, report.toUri().toString()));
        assertThat(shot).exists();
    }

    public static String chromium() {
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
            for (String dirName : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path p = Path.of(dirName, name);
                if (Files.isExecutable(p)) return p.toString();
            }
        }
        return null;
    }

    public static String dom(String chromium, Path report, String fragment) throws Exception {
        return exec(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom",
                report.toUri() + fragment));
    }

    private static String exec(List<String> command) throws Exception {
        List<String> c = new ArrayList<>(command);
        Process p = new ProcessBuilder(c).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static int total(String dom, String name) {
        Matcher m = Pattern.compile("data-total=\"" + Pattern.quote(name) + "\"><b>(\\d+)</b>").matcher(dom);
        assertThat(m.find()).as("total " + name).isTrue();
        return Integer.parseInt(m.group(1));
    }

    public static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
