package dev.nightshift.jobs.model;

import dev.nightshift.jobs.cli.CommandRunner;
import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.UserException;
import dev.nightshift.jobs.read.Claims;
import dev.nightshift.jobs.run.IngestOptions;
import dev.nightshift.jobs.run.MemorySampler;
import dev.nightshift.jobs.run.ModelOptions;
import dev.nightshift.jobs.run.SummarizeCommand;

import dev.nightshift.pipeline.store.Store;

import dev.nightshift.pipeline.store.StatusQueries;

import dev.nightshift.connectors.extract.PlainTikaExtractor;
import dev.nightshift.connectors.extract.TikaExtractor;
import dev.nightshift.connectors.folder.FolderConnector;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.run.Extractor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "bench", description = "Benchmarks.", subcommands = {BenchCommand.Generate.class, BenchCommand.Extract.class, BenchCommand.Constrain.class,
        BenchCommand.Run.class, BenchCommand.Ground.class})
public final class BenchCommand {

    @Command(name = "generate", description = "Time generation without stopping at end-of-sequence: prefill and "
            + "decode throughput, and the share of wall time spent outside OrtSession.run.")
    static final class Generate implements Callable<Integer> {
        /** Any ordinary text: the prompt's content does not change the work per token. */
        private static final String FILLER = "The archive holds invoices, letters and reports from many years. ";

        @Parameters(paramLabel = "DIR", description = "The model folder.")
        Path folder;

        @Option(names = "--batch", defaultValue = "1", description = "Rows generated together (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--prompt-tokens", defaultValue = "64", description = "Prompt length per row (default: ${DEFAULT-VALUE}).")
        int promptTokens;

        @Option(names = "--new-tokens", defaultValue = "64", description = "Tokens generated per row (default: ${DEFAULT-VALUE}).")
        int newTokens;

        @Option(names = "--repeat", defaultValue = "5", description = "Timed repetitions after the warm-up (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--warmup-seconds", defaultValue = "3", description = "Untimed generation first (default: ${DEFAULT-VALUE}).")
        int warmupSeconds;

        @Option(names = "--profile", paramLabel = "PREFIX",
                description = "Write ONNX Runtime's per-operator profile to PREFIX*.json (Chrome trace format).")
        Path profile;

        @Mixin
        ModelOptions model;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (batch < 1 || promptTokens < 2 || newTokens < 2 || repeat < 1) {
                throw new UserException(ExitCodes.USAGE, "--batch and --repeat must be at least 1, --prompt-tokens and --new-tokens at least 2");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (GemmaEngine engine = model.load(folder, profile)) {
                List<GenerationRequest> requests = requests(engine);
                // Warm-up: first-run allocations, kernel selection, and the JIT (a tiny model needs seconds of it).
                long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
                for (int i = 0; i < 2 || System.nanoTime() < warmupEnd; i++) engine.generate(requests);
                long prefill = 0;
                long decode = 0;
                long wall = 0;
                long session = 0;
                for (int r = 0; r < repeat; r++) {
                    long sessionBefore = engine.sessionNanos();
                    long t = System.nanoTime();
                    List<GenerationResult> results = engine.generate(requests);
                    wall += System.nanoTime() - t;
                    session += engine.sessionNanos() - sessionBefore;
                    prefill += results.get(0).prefillNanos();
                    decode += results.get(0).decodeNanos();
                }
                // The first new token comes from the prefill's logits; decoding makes the other newTokens - 1.
                double prefillTokS = (double) batch * promptTokens * repeat / (prefill / 1e9);
                double decodeTokS = (double) batch * (newTokens - 1) * repeat / (decode / 1e9);
                double overheadPct = 100.0 * (wall - session) / wall;
                out.println(String.format(Locale.ROOT, "batch=%d prompt_tokens=%d new_tokens=%d prefill_tok_s=%.1f decode_tok_s=%.1f overhead_pct=%.2f",
                        batch, promptTokens, newTokens, prefillTokS, decodeTokS, overheadPct));
                out.flush();
                return ExitCodes.OK;
            }
        }

        private List<GenerationRequest> requests(GemmaEngine engine) {
            return requests(engine, batch, promptTokens, newTokens);
        }

        /** {@code batch} rows of exactly {@code promptTokens} ids: BOS, then ordinary text; rows start at different words. */
        static List<GenerationRequest> requests(GemmaEngine engine, int batch, int promptTokens, int newTokens) {
            long[] filler = engine.tokenizer().encode(FILLER.repeat(1 + promptTokens / 8));
            List<GenerationRequest> requests = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                long[] ids = new long[promptTokens];
                ids[0] = engine.config().bosId();
                for (int i = 1; i < promptTokens; i++) ids[i] = filler[(b * 3 + i) % filler.length];
                requests.add(new GenerationRequest(ids, newTokens, SamplingParams.GREEDY, false));
            }
            return requests;
        }
    }

    @Command(name = "constrain", description = "The cost of holding output to a JSON schema: rows of constrained greedy "
            + "generation at a batch, the time spent computing and applying token masks, against a decoding step of the "
            + "same batch without a constraint, after the masks are computed ahead as a run does (--lazy: as states are met). "
            + "First: the first pass; later: passes with other prompts.")
    static final class Constrain implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The model folder.")
        Path folder;

        @Option(names = "--schema", required = true, paramLabel = "FILE", description = "A JSON schema (the subset extract takes).")
        Path schemaFile;

        @Option(names = "--batch", defaultValue = "8", description = "Rows generated together (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--new-tokens", defaultValue = "160", description = "Most tokens per row (default: ${DEFAULT-VALUE}).")
        int newTokens;

        @Option(names = "--rounds", defaultValue = "3", description = "Passes after the first, each with other prompts (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--lazy", description = "Compute masks as decoding meets states, instead of all ahead as a run does.")
        boolean lazy;

        @Mixin
        ModelOptions model;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var schema = dev.nightshift.jobs.run.ExtractCommand.schema(schemaFile).schema();
            PrintWriter out = spec.commandLine().getOut();
            try (GemmaEngine engine = model.load(folder)) {
                long t0 = System.nanoTime();
                var constraint = dev.nightshift.pipeline.extract.SchemaConstraint.compile(schema, engine.folder().tokenizer());
                long compileMs = (System.nanoTime() - t0) / 1_000_000;
                long t1 = System.nanoTime();
                if (!lazy) constraint.prepare();
                long prepareMs = (System.nanoTime() - t1) / 1_000_000;
                if (constraint.shortest() >= newTokens) throw new UserException(ExitCodes.USAGE, "--new-tokens must exceed " + constraint.shortest());
                List<GenerationRequest> plain = Generate.requests(engine, batch, 64, newTokens);
                // A decoding step of the batch without a constraint: the yardstick.
                engine.generate(plain);
                long decode = 0;
                for (int r = 0; r < rounds; r++) decode += engine.generate(plain).get(0).decodeNanos();
                double stepMs = decode / 1e6 / rounds / (newTokens - 1);
                // Every pass asks with other prompts, as a run's documents differ: a pass after the first reuses the
                // masks of the states the earlier ones met, not the same outputs.
                double[] first = pass(engine, prompts(engine, 0, constraint), constraint);
                double[] later = {0, 0, 0};
                for (int r = 0; r < rounds; r++) {
                    double[] p = pass(engine, prompts(engine, r + 1, constraint), constraint);
                    for (int i = 0; i < 3; i++) later[i] += p[i] / rounds;
                }
                var stats = constraint.stats();
                out.println(String.format(Locale.ROOT, "batch=%d states=%d mask_classes=%d shortest_tokens=%d compile_ms=%d prepare_ms=%d masks_mb=%.1f "
                                + "step_ms=%.1f first: mask_ms_per_row=%.3f mask_pct_of_step=%.1f tokens_per_row=%.0f "
                                + "later: mask_ms_per_row=%.3f mask_pct_of_step=%.1f tokens_per_row=%.0f computed_while_decoding=%d tight_budget_masks=%d",
                        batch, stats.states(), stats.classes(), constraint.shortest(), compileMs, prepareMs, stats.keptBytes() / 1048576.0, stepMs,
                        first[0], 100 * first[0] * batch / stepMs, first[2], later[0], 100 * later[0] * batch / stepMs, later[2],
                        stats.misses(), stats.tight()));
                out.flush();
                return ExitCodes.OK;
            }
        }

        /** {@code batch} constrained greedy requests of 64 prompt tokens: the words of {@link #WORDS} shuffled by {@code seed}. */
        private List<GenerationRequest> prompts(GemmaEngine engine, long seed, dev.nightshift.pipeline.constrain.AutomatonConstraint constraint) {
            java.util.Random random = new java.util.Random(seed);
            List<String> words = new ArrayList<>(List.of(WORDS.split(" ")));
            List<GenerationRequest> requests = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                java.util.Collections.shuffle(words, random);
                long[] text = engine.tokenizer().encode(String.join(" ", words));
                long[] ids = new long[64];
                ids[0] = engine.config().bosId();
                for (int i = 1; i < ids.length; i++) ids[i] = text[(i - 1) % text.length];
                requests.add(GenerationRequest.constrained(ids, newTokens, SamplingParams.GREEDY, constraint));
            }
            return requests;
        }

        private static final String WORDS = "Invoice number 2024-117 from Harbour Crane Hire Ltd to Northway Builders, dated "
                + "4 March 2024: crane hire for twelve days at 1.234,50 EUR a day, operator and transport included, total "
                + "due within thirty days. Dear Ms Okafor, following our meeting of 12 January we write about the rent of "
                + "your flat, which rises by four percent from the first of May; the landlord, the tenant and the agency "
                + "signed the licence agreement for the library software, renewed each year unless cancelled in writing.";

        /** One constrained pass: {mask ms per row and token, mask calls, tokens per row}. */
        private static double[] pass(GemmaEngine engine, List<GenerationRequest> requests,
                                     dev.nightshift.pipeline.constrain.AutomatonConstraint constraint) {
            var before = constraint.stats();
            List<GenerationResult> results = engine.generate(requests);
            var after = constraint.stats();
            long calls = after.masks() - before.masks();
            double tokens = results.stream().mapToInt(r -> r.tokenIds().length).average().orElse(0);
            return new double[]{(after.nanos() - before.nanos()) / 1e6 / Math.max(1, calls), calls, tokens};
        }
    }

    @Command(name = "run", description = "Summarize PATH with a model into a temporary database, as the summarize job does, "
            + "and compare its generated tokens per second with the ceiling: the engine generating one full batch of "
            + "the run's mean prompt and output lengths, measured afterwards in the same process.")
    static final class Run implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders.")
        List<Path> paths;

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "The model folder.")
        Path folder;

        @Option(names = "--batch", defaultValue = "8", description = "Most requests generated together (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--words", defaultValue = "40", description = "Summary length in words (default: ${DEFAULT-VALUE}).")
        int words;

        @Mixin
        ModelOptions model;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = Files.createTempDirectory(DataLayout.temp(), "bench-run");
            try {
                List<String> args = new ArrayList<>();
                paths.forEach(p -> args.add(p.toString()));
                args.addAll(List.of("--model", folder.toString(), "--batch", Integer.toString(batch), "--words", Integer.toString(words),
                        "--db", dir.resolve("bench").toString(), "--progress-interval", "0"));
                if (model.dtype != null) args.addAll(List.of("--dtype", model.dtype));
                if (model.exactKernels) args.add("--exact-kernels");
                args.addAll(List.of("--head", model.head));
                java.io.StringWriter log = new java.io.StringWriter();
                int code = CommandRunner.run(new SummarizeCommand(), new PrintWriter(log), new PrintWriter(log), args.toArray(String[]::new));
                if (code != ExitCodes.OK && code != ExitCodes.SOME_FAILED) {
                    spec.commandLine().getErr().print(log);
                    spec.commandLine().getErr().flush();
                    return code;
                }
                StatusQueries.RunTotals totals;
                try (Store store = Store.open(dir.resolve("bench"), java.time.Clock.systemUTC())) {
                    totals = new StatusQueries(store).runTotals(1);
                }
                if (totals.outputs() == 0) throw new UserException(ExitCodes.USAGE, "nothing was generated: no readable documents under the paths");
                int meanPrompt = (int) Math.max(2, totals.promptTokens() / totals.outputs());
                int meanOutput = (int) Math.max(2, totals.generatedTokens() / totals.outputs());
                double ceiling;
                try (GemmaEngine engine = model.load(folder)) {
                    List<GenerationRequest> requests = Generate.requests(engine, batch, meanPrompt, meanOutput);
                    engine.generate(requests); // warm-up
                    long t = System.nanoTime();
                    int rounds = 3;
                    for (int r = 0; r < rounds; r++) engine.generate(requests);
                    ceiling = (double) batch * meanOutput * rounds / ((System.nanoTime() - t) / 1e9);
                }
                double rate = totals.generatedTokens() / totals.seconds();
                out.println(String.format(Locale.ROOT, "documents=%d outputs=%d generated_tokens=%d seconds=%.1f gen_tok_s=%.1f "
                                + "ceiling_tok_s=%.1f efficiency=%.2f (batch=%d mean_prompt=%d mean_output=%d)",
                        totals.documents(), totals.outputs(), totals.generatedTokens(), totals.seconds(), rate, ceiling, rate / ceiling,
                        batch, meanPrompt, meanOutput));
                out.flush();
                return ExitCodes.OK;
            } finally {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Command(name = "extract", description = "Extract every file under PATH (nothing is stored) and print files per "
            + "second and the peak resident memory of nightshift and its extraction processes together.")
    static final class Extract implements Callable<Integer> {
        enum Mode { process, none, baseline }

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders; a folder named twice is extracted twice.")
        List<Path> paths;

        @Option(names = "--isolation", defaultValue = "process",
                description = "process (child JVMs, as summarize does), none (in-process with timeouts) or baseline "
                        + "(a plain AutoDetectParser per thread, no protection) (default: ${DEFAULT-VALUE}).")
        Mode mode;

        @Option(names = "--threads", defaultValue = "2", description = "Extraction threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--extract-heap", paramLabel = "MB", defaultValue = "512", description = "Heap of each extraction process.")
        int heapMb;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<SourceItem> items = new ArrayList<>();
            for (Path p : paths) {
                if (!Files.exists(p)) throw new UserException(ExitCodes.USAGE, "no such file or folder: " + p);
                new FolderConnector(List.of(p), Set.of()).discover(items::add, (l, r) -> { });
            }
            AtomicInteger next = new AtomicInteger();
            AtomicLong chars = new AtomicLong();
            Map<String, Long> statuses = new ConcurrentSkipListMap<>();
            // Timed from the extractor's construction: child start-up and parser set-up are part of the cost.
            long t = System.nanoTime();
            try (MemorySampler memory = new MemorySampler(); Extractor extractor = extractor()) {
                List<Thread> workers = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Thread w = new Thread(() -> {
                        for (int k = next.getAndIncrement(); k < items.size(); k = next.getAndIncrement()) {
                            Extraction e = extractor.extract(items.get(k));
                            chars.addAndGet(e.text().length());
                            statuses.merge(e.status().name(), 1L, Long::sum);
                        }
                    });
                    workers.add(w);
                    w.start();
                }
                for (Thread w : workers) w.join();
                double seconds = (System.nanoTime() - t) / 1e9;
                spec.commandLine().getOut().println(String.format(Locale.ROOT,
                        "isolation=%s threads=%d files=%d seconds=%.1f files_per_s=%.1f chars=%d peak_rss_mb=%d statuses=%s",
                        mode, threads, items.size(), seconds, items.size() / seconds, chars.get(), memory.peakMb(), statuses));
                spec.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        }

        private Extractor extractor() {
            int writeLimit = 20_000_000;
            Duration timeout = Duration.ofSeconds(120);
            return switch (mode) {
                case baseline -> new PlainTikaExtractor(writeLimit);
                case none -> new TikaExtractor(timeout, writeLimit);
                case process -> IngestOptions.forked(threads, timeout, heapMb, writeLimit, false);
            };
        }
    }

    @Command(name = "ground", description = "Time the grounding check of a file of claims against SOURCE: building the "
            + "source's index and checking the sentences, each round (the extraction, done once, is not timed).")
    static final class Ground implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SOURCE", description = "The file the claims are checked against.")
        Path source;

        @Option(names = "--claims", required = true, paramLabel = "FILE", description = "The sentences to check (UTF-8 text).")
        String claims;

        @Option(names = "--rounds", defaultValue = "3", description = "Rounds (the first includes the JIT's warm-up) (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String claimText = Claims.readClaims(claims);
            String text = Claims.sourceText(source, 120);
            PrintWriter out = spec.commandLine().getOut();
            for (int r = 1; r <= rounds; r++) {
                long t0 = System.nanoTime();
                var index = dev.nightshift.pipeline.ground.SourceText.of(text, String.valueOf(source.getFileName()));
                long t1 = System.nanoTime();
                var g = new dev.nightshift.pipeline.ground.GroundingCheck().check(claimText, index, dev.nightshift.pipeline.ground.GroundingCheck.Mode.ALIGN);
                long t2 = System.nanoTime();
                out.println(String.format(Locale.ROOT, "round=%d source_chars=%d sentences=%d index_ms=%d check_ms=%d total_ms=%d unsupported=%d",
                        r, text.length(), g.sentences().size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t2 - t0) / 1_000_000, g.unsupported()));
                out.flush();
            }
            return ExitCodes.OK;
        }
    }
}
