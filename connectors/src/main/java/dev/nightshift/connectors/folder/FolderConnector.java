package dev.nightshift.connectors.folder;

import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.run.Connector;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Walks folders recursively and reports each regular file. Symbolic links are followed; a link that
 * leads back into its own ancestry is reported once as a problem instead of looping, and so is a link
 * that leads nowhere. Left out: hidden files and folders (names starting with a dot) unless asked for,
 * files that match an exclude glob or no include glob (globs match the path relative to the scanned
 * folder, e.g. {@code **}{@code /*.pdf}), and the {@code excluded} paths (nightshift's own data folder when
 * it lies inside a scanned folder). A file over the size limit is reported as a problem, not read.
 */
public final class FolderConnector implements Connector {
    /** What to walk and what to leave out. */
    public record Filter(List<String> include, List<String> exclude, boolean hidden, long maxFileSize) {
        public static final Filter ALL = new Filter(List.of(), List.of(), false, Long.MAX_VALUE);
    }

    private final List<Path> roots;
    private final Set<Path> excluded;
    private final Filter filter;
    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;

    public FolderConnector(List<Path> roots, Set<Path> excluded) {
        this(roots, excluded, Filter.ALL);
    }

    public FolderConnector(List<Path> roots, Set<Path> excluded, Filter filter) {
        this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.excluded = excluded.stream().map(p -> p.toAbsolutePath().normalize()).collect(java.util.stream.Collectors.toSet());
        this.filter = filter;
        this.include = filter.include().stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        this.exclude = filter.exclude().stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    }

    /** Globs are matched against the path below the scanned folder; "*.pdf" also matches at any depth by file name. */
    private boolean wanted(Path root, Path file) {
        Path relative = root.equals(file) ? file.getFileName() : root.relativize(file);
        if (exclude.stream().anyMatch(m -> m.matches(relative) || m.matches(relative.getFileName()))) return false;
        return include.isEmpty() || include.stream().anyMatch(m -> m.matches(relative) || m.matches(relative.getFileName()));
    }

    @Override
    public void discover(Sink sink, ProblemSink problems) {
        for (Path root : roots) {
            if (!walk(root, sink, problems)) return;
        }
    }

    /** @return false when the sink asked to stop */
    private boolean walk(Path root, Sink sink, ProblemSink problems) {
        final boolean[] stopped = {false};
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && ((!filter.hidden() && isHidden(dir)) || excluded.contains(dir))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!file.equals(root) && !filter.hidden() && isHidden(file)) return FileVisitResult.CONTINUE;
                    if (attrs.isSymbolicLink()) { // links are followed, so this one leads nowhere
                        problems.problem(FileNames.display(file), "broken link to " + linkTarget(file));
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isOther() && !isExcluded(file) && wanted(root, file)) {
                        // Reading a named pipe would wait for a writer for ever, a device has no end: said, not read.
                        problems.problem(FileNames.display(file), "skipped: not a regular file (a named pipe, socket or device)");
                        return FileVisitResult.CONTINUE;
                    }
                    if (!attrs.isRegularFile() || isExcluded(file) || !wanted(root, file)) return FileVisitResult.CONTINUE;
                    if (attrs.size() > filter.maxFileSize()) {
                        problems.problem(FileNames.display(file), "larger than the limit of " + filter.maxFileSize() / (1024 * 1024)
                                + " MB (--max-file-size), not read");
                        return FileVisitResult.CONTINUE;
                    }
                    SourceItem item = new SourceItem(FileNames.display(file), file, attrs.size(), attrs.lastModifiedTime().toInstant());
                    if (!sink.accept(item)) {
                        stopped[0] = true;
                        return FileVisitResult.TERMINATE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    problems.problem(FileNames.display(file), reason(e));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            problems.problem(FileNames.display(root), reason(e));
        }
        return !stopped[0];
    }

    private boolean isExcluded(Path file) {
        for (Path p = file; p != null; p = p.getParent()) {
            if (excluded.contains(p)) return true;
        }
        return false;
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "an unknown target";
        }
    }

    private static boolean isHidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemLoopException) return "symbolic link loop, not followed";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file (a broken link, or removed while scanning)";
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
