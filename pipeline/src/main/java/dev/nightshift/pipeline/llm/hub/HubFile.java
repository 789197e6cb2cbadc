package dev.nightshift.pipeline.llm.hub;

import java.util.Objects;

/**
 * A file of a model repository as the hub lists it.
 *
 * @param path   path inside the repository, e.g. {@code onnx/model_q4.onnx}
 * @param size   bytes
 * @param sha256 SHA-256 of the content for files kept in LFS (the weights), else null
 * @param gitOid the git blob id (SHA-1 of "blob SIZE\0" + content) for files kept in git
 */
public record HubFile(String path, long size, String sha256, String gitOid) {
    public HubFile {
        Objects.requireNonNull(path, "path");
        if (path.startsWith("/") || path.contains("..") || path.contains("\\")) {
            throw new IllegalArgumentException("unsafe path from the hub: " + path);
        }
    }
}
