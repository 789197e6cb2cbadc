package dev.nightshift.pipeline.llm.model;

import dev.nightshift.pipeline.core.Hashing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A model folder as downloaded from the hub, resolved for one precision: which graph files to load
 * (one graph, or {@code embed_tokens} + {@code decoder_model_merged}), the tokenizer and the chat template.
 *
 * @param embedGraph   the token-embedding graph of the two-graph layout, or null for one graph
 * @param decoderGraph the graph that produces logits and KV
 * @param weightFiles  every file whose bytes determine outputs (graphs, external data shards, tokenizer, template)
 * @param visionGraph  Gemma 4's {@code vision_encoder} graph (this precision if there is one, else any), or null
 */
public record ModelFolder(Path folder, Dtype dtype, ModelConfig config, Path embedGraph, Path decoderGraph,
                          Path tokenizer, List<Path> weightFiles, Path visionGraph) {

    public static ModelFolder resolve(Path folder, Dtype requested) {
        if (!Files.isDirectory(folder)) {
            throw new ModelException("not a model folder: " + folder + (Files.exists(folder) ? " is a file" : " does not exist"));
        }
        ModelConfig config = ModelConfig.read(folder);
        Path onnx = folder.resolve("onnx");
        if (!Files.isDirectory(onnx)) throw new ModelException("not a model folder: " + folder + " has no onnx/ folder");
        Path tokenizer = folder.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) throw new ModelException("missing tokenizer: " + tokenizer);

        List<Dtype> candidates = requested == null ? Dtype.DEFAULT_ORDER : List.of(requested);
        for (Dtype dtype : candidates) {
            Optional<ModelFolder> found = layout(folder, onnx, dtype, config, tokenizer);
            if (found.isPresent()) return found.get();
        }
        String available = available(onnx);
        if (requested != null) {
            throw new ModelException("no " + requested.cliName() + " graph in " + onnx + " (looked for "
                    + requested.fileFor("model") + ", or " + requested.fileFor("embed_tokens") + " with "
                    + requested.fileFor("decoder_model_merged") + "); found: " + available);
        }
        throw new ModelException("no ONNX graph nightshift can run in " + onnx + "; found: " + available);
    }

    private static Optional<ModelFolder> layout(Path folder, Path onnx, Dtype dtype, ModelConfig config, Path tokenizer) {
        Path single = onnx.resolve(dtype.fileFor("model"));
        Path decoder = onnx.resolve(dtype.fileFor("decoder_model_merged"));
        Path embed = onnx.resolve(dtype.fileFor("embed_tokens"));
        if (Files.isRegularFile(decoder)) {
            // Gemma 4 exports sometimes keep the embedding table in fp32 or another precision only.
            Path embedding = Files.isRegularFile(embed) ? embed : anyPrecision(onnx, "embed_tokens");
            if (embedding == null) {
                throw new ModelException(decoder + " needs an embed_tokens graph beside it, and there is none in " + onnx);
            }
            Path ownVision = onnx.resolve(dtype.fileFor("vision_encoder"));
            Path vision = Files.isRegularFile(ownVision) ? ownVision : anyPrecision(onnx, "vision_encoder");
            List<Path> graphs = vision == null ? List.of(embedding, decoder) : List.of(embedding, decoder, vision);
            return Optional.of(new ModelFolder(folder, dtype, config, embedding, decoder, tokenizer,
                    weights(folder, onnx, graphs, tokenizer), vision));
        }
        if (Files.isRegularFile(single)) {
            return Optional.of(new ModelFolder(folder, dtype, config, null, single, tokenizer,
                    weights(folder, onnx, List.of(single), tokenizer), null));
        }
        return Optional.empty();
    }

    private static Path anyPrecision(Path onnx, String base) {
        for (Dtype d : Dtype.DEFAULT_ORDER) {
            Path p = onnx.resolve(d.fileFor(base));
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /** Graphs with their external data shards ({@code x.onnx_data}, {@code x.onnx_data_1}, ...), tokenizer, templates. */
    private static List<Path> weights(Path folder, Path onnx, List<Path> graphs, Path tokenizer) {
        List<Path> files = new ArrayList<>();
        for (Path g : graphs) {
            files.add(g);
            String data = g.getFileName() + "_data";
            try (Stream<Path> s = Files.list(onnx)) {
                s.filter(p -> p.getFileName().toString().equals(data) || p.getFileName().toString().startsWith(data + "_"))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new ModelException("cannot list " + onnx + ": " + e.getMessage(), e);
            }
        }
        files.add(tokenizer);
        for (String name : List.of("tokenizer_config.json", "chat_template.jinja", "generation_config.json", "config.json",
                "preprocessor_config.json", "processor_config.json")) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) files.add(p);
        }
        return List.copyOf(files);
    }

    private static String available(Path onnx) {
        try (Stream<Path> s = Files.list(onnx)) {
            String names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx")).sorted()
                    .collect(Collectors.joining(", "));
            return names.isEmpty() ? "no .onnx files" : names;
        } catch (IOException e) {
            return "nothing readable";
        }
    }

    /**
     * A digest identifying this model for provenance and caching: SHA-256 over the names, sizes and
     * modification times of the weight files and the dtype. Hashing gigabytes of weights on every start
     * would cost minutes; {@link #contentDigest()} does that when asked.
     */
    public String identity() {
        StringBuilder s = new StringBuilder(dtype.cliName());
        for (Path p : weightFiles) {
            try {
                s.append('\n').append(folder.relativize(p)).append(' ').append(Files.size(p)).append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis());
            } catch (IOException e) {
                throw new ModelException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        return Hashing.sha256(s.toString());
    }

    /** SHA-256 over the bytes of every weight file, for a verifiable record of exactly which model ran. */
    public String contentDigest() {
        StringBuilder s = new StringBuilder(dtype.cliName());
        for (Path p : weightFiles) {
            try {
                s.append('\n').append(folder.relativize(p)).append(' ').append(Hashing.sha256(p));
            } catch (IOException e) {
                throw new ModelException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        return Hashing.sha256(s.toString());
    }
}
