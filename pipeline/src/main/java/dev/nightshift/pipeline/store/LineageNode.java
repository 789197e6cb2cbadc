package dev.nightshift.pipeline.store;

import java.util.List;

/**
 * A node of a printed lineage tree: a label, details, and what it came from.
 */
public record LineageNode(String label, String detail, List<LineageNode> children) {
    public LineageNode {
        children = List.copyOf(children);
    }

    public static LineageNode leaf(String label, String detail) {
        return new LineageNode(label, detail, List.of());
    }
}
