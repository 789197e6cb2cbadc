package dev.nightshift.jobs.model;

import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;
import dev.nightshift.jobs.run.ModelOptions;

import dev.nightshift.pipeline.llm.model.Dtype;

import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.Head;
import dev.nightshift.pipeline.llm.Kernels;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.model.ModelException;
import dev.nightshift.pipeline.llm.verify.ReferenceCheck;
import dev.nightshift.pipeline.llm.SamplingParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "model", description = "Inspect, check and try model folders.",
        subcommands = {ModelCommand.Verify.class, ModelCommand.Generate.class, ModelCommand.Pull.class})
public final class ModelCommand {

    static void printSummary(PrintWriter out, GemmaEngine engine) {
        var f = engine.folder();
        var c = engine.config();
        out.printf("model      %s%n", f.folder());
        out.printf("type       %s, %d layers, vocabulary %d, context %d, eos %s%n", c.modelType(), c.layers(),
                engine.vocabSize(), c.contextLength(), c.eosIds());
        out.printf("precision  %s: %s%s%n", f.dtype().cliName(), f.folder().relativize(f.decoderGraph()),
                f.embedGraph() == null ? "" : " + " + f.folder().relativize(f.embedGraph()));
        out.printf("kernels    %s%n", engine.int8Nodes() > 0
                ? "int8 activations (accuracy_level 4 on " + engine.int8Nodes() + " MatMulNBits nodes; --exact-kernels for the file's own)"
                : "as shipped");
        if (engine.seesImages()) {
            var v = engine.visionConfig();
            var p = v.processor();
            out.printf("vision     %s: up to %d soft tokens an image (patch %d, pooling %d); image token %d, begin %d, end %d%n",
                    f.folder().relativize(f.visionGraph()), p.maxSoftTokens(), p.patchSize(), p.poolingKernel(),
                    v.imageTokenId(), v.boiTokenId(), v.eoiTokenId());
        }
        var layout = engine.layoutChoice();
        out.printf("layout     %s: %s (probe %d ms)%n", layoutName(layout.layout()), layout.reason(), layout.millis());
        out.printf("KV pairs   %d%n", engine.kvSummary().size());
        for (String kv : engine.kvSummary()) out.println("           " + kv);
        for (Map.Entry<String, String> e : engine.graphSignature().entrySet()) {
            out.printf("graph      %-40s %s%n", e.getKey(), e.getValue());
        }
    }

    /** A layout as the summary prints it: {@code right-aligned}. */
    static String layoutName(dev.nightshift.pipeline.llm.BatchLayout layout) {
        return layout.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Command(name = "verify", description = "Print a model summary; if DIR/reference.json exists, check the engine "
            + "against it token for token (exit 1 on any mismatch).")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The model folder.")
        Path folder;

        @Mixin
        ModelOptions model;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            // The reference is checked against the graph as shipped: that is what transformers computed.
            try (GemmaEngine engine = model.load(folder, null, Kernels.AS_SHIPPED, Head.AS_SHIPPED)) {
                printSummary(out, engine);
                Path reference = folder.resolve("reference.json");
                if (!Files.exists(reference)) {
                    out.println("reference: none (no reference.json in the folder); the model loads and its graphs are usable");
                    return ExitCodes.OK;
                }
                ReferenceCheck.Report report;
                try {
                    report = ReferenceCheck.run(engine, reference);
                } catch (ModelException e) {
                    throw new UserException(ExitCodes.RUN_FAILED, e.getMessage());
                }
                for (ReferenceCheck.CaseResult c : report.cases()) {
                    if (c.matches()) continue;
                    out.printf("case %s: MISMATCH%s%s%s%n", c.name(),
                            c.idsMatch() ? "" : "; prompt token ids differ from the reference",
                            Boolean.FALSE.equals(c.templateMatches()) ? "; chat template renders differently" : "",
                            c.firstDifference() < 0 ? "" : "; first differing token at position " + c.firstDifference()
                                    + ": expected " + at(c.expected(), c.firstDifference()) + ", got " + at(c.actual(), c.firstDifference()));
                    if (c.maxLogitError() != null && c.maxLogitError() > ReferenceCheck.LOGIT_TOLERANCE) {
                        out.printf("case %s: first-step logits differ by %.5f (tolerance %.0e)%n", c.name(), c.maxLogitError(), ReferenceCheck.LOGIT_TOLERANCE);
                    }
                }
                for (ReferenceCheck.ImageCheck i : report.images()) {
                    out.printf("image %s: %d soft tokens, %s%n", Terminal.safe(i.name()), i.softTokens(), !i.resized()
                            ? (Boolean.TRUE.equals(i.pixelsMatch()) ? "pixel values identical to transformers' (SHA-256)" : "pixel values DIFFER from transformers'")
                            : i.meanAbsoluteDifference() == null ? "resized (no pixel file to compare with)"
                            : String.format(java.util.Locale.ROOT, "resized; mean absolute difference from transformers' pixel values %.6f (%.3f levels of 255)",
                                    i.meanAbsoluteDifference(), i.meanAbsoluteDifference() * 255));
                }
                long inexact = report.cases().stream().filter(c -> !c.exact()).count();
                out.printf("reference: %d/%d cases match (%s)%s%n", report.matching(), report.cases().size(), report.expectation(),
                        inexact == 0 ? "" : "; " + inexact + " marked not exact by the reference (a resized image), reported but not required");
                String layout = layoutName(engine.layout());
                printBatch(out, "batch", report.batch(), "rows generated together (" + layout + ")");
                printBatch(out, "joined", report.joined(), "rows joining a running batch one step apart (" + layout + ")");
                if (!model.exactKernels) jobsAgreement(out, reference);
                out.flush();
                return report.allMatch() ? ExitCodes.OK : ExitCodes.RUN_FAILED;
            }
        }

        /**
         * Where the jobs run the graph otherwise than shipped (int8 kernels for a 4-bit graph, a quantized
         * head): how often that picks the reference's tokens. Information, not a check.
         */
        private void jobsAgreement(PrintWriter out, Path reference) {
            try (GemmaEngine int8 = model.load(folder, null)) {
                boolean kernels = int8.int8Nodes() > 0;
                boolean head = int8.head().quantized();
                if (!kernels && !head) return;
                ReferenceCheck.Report r = ReferenceCheck.run(int8, reference);
                int same = 0;
                int total = 0;
                for (ReferenceCheck.CaseResult c : r.cases()) {
                    int agree = 0;
                    while (agree < Math.min(c.expected().length, c.actual().length) && c.expected()[agree] == c.actual()[agree]) agree++;
                    same += agree;
                    total += c.expected().length;
                }
                String what = (kernels ? "int8 kernels" : "") + (kernels && head ? ", " : "") + (head ? "head " + int8.head().description() : "");
                out.printf("%s (what summarize and translate run): %d/%d cases token for token, %d/%d reference tokens "
                        + "before the first difference%n", what, r.matching(), r.cases().size(), same, total);
            } catch (ModelException e) {
                out.println("int8 kernels / quantized head: cannot run them: " + e.getMessage());
            }
        }

        private static void printBatch(PrintWriter out, String label, ReferenceCheck.BatchResult b, String how) {
            if (b == null) return;
            out.println(b.matches() ? label + ": " + b.cases().size() + " " + how + " match " + b.against()
                    : label + ": MISMATCH in row " + b.mismatchedRow() + " (" + b.cases().get(b.mismatchedRow()) + ") at position "
                    + b.firstDifference() + ": expected " + at(b.expected().get(b.mismatchedRow()), b.firstDifference()) + ", got "
                    + at(b.actual().get(b.mismatchedRow()), b.firstDifference()) + " (" + b.cases().size() + " " + how
                    + ", against " + b.against() + ")");
        }

        private static String at(int[] tokens, int i) {
            return i < tokens.length ? Integer.toString(tokens[i]) : "(end)";
        }
    }

    @Command(name = "generate", description = "Generate text for one prompt, streamed as it is produced.")
    static final class Generate implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The model folder.")
        Path folder;

        @Option(names = "--prompt", required = true, description = "The user message (put into the model's chat template).")
        String prompt;

        @Option(names = "--raw", description = "Feed the prompt as is, without the chat template.")
        boolean raw;

        @Option(names = "--image", paramLabel = "FILE", description = "An image to show the model before the prompt "
                + "(repeatable; PNG, JPEG, GIF, BMP, TIFF). Needs a folder with a vision encoder (Gemma 4).")
        List<Path> images = new java.util.ArrayList<>();

        @Option(names = "--max-new-tokens", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
        int maxNewTokens;

        @Option(names = "--temperature", defaultValue = "0", description = "0 is greedy (default).")
        double temperature;

        @Option(names = "--top-k", defaultValue = "0", description = "0 keeps all (default).")
        int topK;

        @Option(names = "--top-p", defaultValue = "1.0", description = "Default: ${DEFAULT-VALUE}.")
        double topP;

        @Option(names = "--seed", defaultValue = "0", description = "Same seed, same text (default: ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        ModelOptions model;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            SamplingParams sampling;
            try {
                sampling = new SamplingParams(temperature, topK, topP, seed);
            } catch (IllegalArgumentException e) {
                throw new UserException(ExitCodes.USAGE, e.getMessage());
            }
            if (maxNewTokens < 1) throw new UserException(ExitCodes.USAGE, "--max-new-tokens must be at least 1");
            PrintWriter out = spec.commandLine().getOut();
            if (raw && !images.isEmpty()) throw new UserException(ExitCodes.USAGE, "--image needs the chat template: drop --raw");
            try (GemmaEngine engine = model.load(folder)) {
                GenerationRequest request;
                if (images.isEmpty()) {
                    long[] ids = raw ? engine.tokenizer().encode(prompt) : engine.chatPrompt(prompt);
                    request = new GenerationRequest(ids, maxNewTokens, sampling, true);
                } else {
                    if (!engine.seesImages()) {
                        throw new UserException(ExitCodes.USAGE, Terminal.line(folder.toString()) + " has no vision encoder (onnx/vision_encoder*.onnx): "
                                + "it cannot look at images; use a Gemma 4 folder with one");
                    }
                    List<dev.nightshift.pipeline.llm.vision.PatchedImage> prepared = new java.util.ArrayList<>();
                    for (Path image : images) {
                        try {
                            var patched = engine.prepare(dev.nightshift.pipeline.llm.vision.RgbImage.read(image));
                            String cannot = engine.visionConfig().cannotEncode(patched);
                            if (cannot != null) throw new IllegalArgumentException("it is " + cannot);
                            prepared.add(patched);
                        } catch (java.io.IOException | IllegalArgumentException e) {
                            throw new UserException(ExitCodes.USAGE, "cannot use the image " + Terminal.line(image.toString()) + ": "
                                    + Terminal.line(String.valueOf(e.getMessage())));
                        }
                    }
                    request = engine.imageRequest(List.of(GemmaEngine.userMessage(prepared.size(), prompt)), prepared, maxNewTokens, sampling);
                }
                // Stream: decode everything so far and print what is new (a token can complete a multi-byte character).
                long[] sofar = new long[maxNewTokens];
                int[] n = {0};
                String[] printed = {""};
                GenerationResult r;
                try {
                    r = engine.generate(List.of(request), (row, token) -> {
                        sofar[n[0]++] = token;
                        String text = engine.tokenizer().decode(Arrays.copyOf(sofar, n[0]));
                        if (text.startsWith(printed[0]) && !text.endsWith("\uFFFD")) {
                            out.print(text.substring(printed[0].length()));
                            out.flush();
                            printed[0] = text;
                        }
                    }).get(0);
                } catch (ModelException e) {
                    throw new UserException(ExitCodes.RUN_FAILED, e.getMessage());
                }
                if (r.text().startsWith(printed[0])) out.print(r.text().substring(printed[0].length()));
                out.println();
                out.flush();
                spec.commandLine().getErr().printf("nightshift: %d prompt tokens, %d generated (%s), prefill %.1f ms, decode %.1f tok/s%n",
                        r.promptTokens(), r.generatedTokens(), r.finishReason().dbValue(), r.prefillNanos() / 1e6,
                        r.generatedTokens() > 1 ? (r.generatedTokens() - 1) / (r.decodeNanos() / 1e9) : 0.0);
                spec.commandLine().getErr().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "pull", description = "Download a model folder from the Hugging Face hub: only the files one "
            + "precision needs, resumable, each checked against the hub's checksum. The only command that uses the network.")
    static final class Pull implements Callable<Integer> {
        @Parameters(paramLabel = "REPO", description = "owner/name, e.g. onnx-community/gemma-3-270m-it-ONNX")
        String repo;

        @Option(names = "--dtype", defaultValue = "q4", description = "fp32, fp16, q8, q4 or q4f16 (default: ${DEFAULT-VALUE}).")
        String dtype;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to put it (default: nightshift-data/models/NAME).")
        Path dir;

        @Option(names = "--revision", defaultValue = "main", description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
        String revision;

        @Option(names = "--endpoint", paramLabel = "URL", description = "The hub or a mirror (default: $HF_ENDPOINT, else https://huggingface.co).")
        String endpoint;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            dev.nightshift.pipeline.llm.model.Dtype d;
            try {
                d = dev.nightshift.pipeline.llm.model.Dtype.parse(dtype);
            } catch (ModelException e) {
                throw new UserException(ExitCodes.USAGE, e.getMessage());
            }
            String base = endpoint != null ? endpoint
                    : System.getenv("HF_ENDPOINT") != null ? System.getenv("HF_ENDPOINT") : "https://huggingface.co";
            Path target = (dir != null ? dir : DataLayout.current().models().resolve(repo.replace('/', '_')))
                    .toAbsolutePath().normalize();
            PrintWriter err = spec.commandLine().getErr();
            try {
                var hub = new dev.nightshift.pipeline.llm.hub.HubClient(java.net.URI.create(base));
                var files = dev.nightshift.pipeline.llm.hub.HubClient.select(hub.list(repo, revision), d);
                long total = files.stream().mapToLong(dev.nightshift.pipeline.llm.hub.HubFile::size).sum();
                err.printf("nightshift: pulling %s (%s): %d files, %.1f MB, into %s%n", repo, d.cliName(), files.size(), total / 1e6, target);
                err.flush();
                long[] done = {0};
                try (var bar = System.console() == null ? null : new me.tongfei.progressbar.ProgressBarBuilder()
                        .setTaskName("pull").setInitialMax(total).setUnit(" MB", 1_000_000)
                        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()) {
                    for (var f : files) {
                        long start = done[0];
                        hub.download(repo, revision, f, target, bytes -> {
                            if (bar != null) bar.stepTo(start + bytes);
                        });
                        done[0] += f.size();
                        if (bar == null) {
                            err.printf("nightshift: %s (%.1f MB) ok%n", f.path(), f.size() / 1e6);
                            err.flush();
                        }
                    }
                }
            } catch (ModelException e) {
                throw new UserException(ExitCodes.RUN_FAILED, e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UserException(ExitCodes.USAGE, e.getMessage());
            }
            spec.commandLine().getOut().println(target);
            spec.commandLine().getOut().flush();
            err.println("nightshift: done. Try: nightshift model verify " + target + " --dtype " + d.cliName());
            err.flush();
            return ExitCodes.OK;
        }
    }
}
