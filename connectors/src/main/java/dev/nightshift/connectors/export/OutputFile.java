package dev.nightshift.connectors.export;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file a person named ({@code export --out}, {@code report --out}) without changing what the
 * name is. A regular file (or a name not yet taken) is written whole: into a temporary file beside it,
 * then renamed over it, so a failed write never leaves half a file and the temporary file is always
 * removed. A symbolic link is followed, and the file it leads to is written the same way: the link stays
 * a link. A device or a named pipe ({@code /dev/stdout}, a FIFO a reader waits on) is written through,
 * never replaced by a file. A folder, a read-only file or a folder nightshift may not write in is
 * refused with {@link Refused}, before anything is written.
 */
public final class OutputFile {
    /** How many links are followed before the name is taken for a loop (Linux's own limit is 40). */
    private static final int MAX_LINKS = 40;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** What a file's content is written by. */
    @FunctionalInterface
    public interface Body {
        void write(Writer w) throws IOException;
    }

    /** What a binary file's content is written by (Parquet). */
    @FunctionalInterface
    public interface BinaryBody {
        void write(OutputStream out) throws IOException;
    }

    /** The name cannot be written, for a reason the person who gave it can fix; the message says which. */
    public static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private OutputFile() {
    }

    /**
     * Writes {@code body} to {@code target}, as the class comment says.
     *
     * @return the file written (the link's destination when {@code target} is a symbolic link)
     * @throws Refused     when the name is a folder, read-only, or in a folder that cannot be written
     * @throws IOException when writing fails on the way (a full disk): nothing is left behind
     */
    public static Path write(Path target, Body body) throws IOException {
        return writeBinary(target, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            body.write(w);
            w.flush();
        });
    }

    /** As {@link #write(Path, Body)}, for bytes. */
    public static Path writeBinary(Path target, BinaryBody body) throws IOException {
        Path file = followLinks(target.toAbsolutePath().normalize());
        if (Files.isDirectory(file)) {
            throw new Refused(target + " is a folder: give a file name (e.g. " + target.resolve("export.jsonl") + ")");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A device or a pipe: write through it; renaming a file over it would replace it.
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE))) {
                body.write(out);
            } catch (AccessDeniedException e) {
                throw new Refused("cannot write " + target + ": permission denied");
            }
            return file;
        }
        if (Files.exists(file) && !Files.isWritable(file)) throw new Refused("cannot write " + target + ": the file is read-only");
        Path folder = folderOf(target, file);
        Path temp;
        try {
            temp = temporaryBeside(file, folder);
        } catch (AccessDeniedException e) {
            throw new Refused("cannot write " + target + ": no permission to write in " + folder);
        } catch (FileSystemException e) {
            throw new Refused("cannot write " + target + ": " + reason(e) + " (" + folder + ")");
        }
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
                body.write(out);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    /**
     * An empty file beside the target, with the target's permissions when it exists, else the ones the
     * process gives new files ({@code createTempFile} would make it private to its owner, and the export a
     * person shares would stop being readable to others).
     */
    private static Path temporaryBeside(Path file, Path folder) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = folder.resolve("." + file.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".partial");
            try {
                Files.createFile(temp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt < 10) continue;
                throw e;
            }
            if (Files.exists(file) && Files.getFileStore(temp).supportsFileAttributeView("posix")) {
                try {
                    Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
                } catch (IOException e) {
                    Files.deleteIfExists(temp);
                    throw e;
                }
            }
            return temp;
        }
    }

    /** The folder the file goes in, made if missing; refused when a part of it is a file. */
    private static Path folderOf(Path target, Path file) throws IOException {
        Path folder = file.getParent();
        try {
            return Files.createDirectories(folder);
        } catch (NotDirectoryException | java.nio.file.FileAlreadyExistsException e) {
            throw new Refused("cannot write " + target + ": a part of " + folder + " is a file, not a folder");
        } catch (AccessDeniedException e) {
            throw new Refused("cannot write " + target + ": no permission to make " + folder);
        } catch (FileSystemException e) {
            throw new Refused("cannot write " + target + ": " + reason(e) + " (" + folder + ")");
        }
    }

    /** Where a chain of symbolic links ends (the name itself when it is no link). */
    private static Path followLinks(Path path) throws IOException {
        Path p = path;
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
            Path to = Files.readSymbolicLink(p);
            p = (p.getParent() == null ? to : p.getParent().resolve(to)).normalize();
        }
        if (Files.isSymbolicLink(p)) throw new Refused(path + ": too many symbolic links (a loop?)");
        return p;
    }

    /** The operating system's reason, without the path Java repeats in front of it. */
    private static String reason(FileSystemException e) {
        if (e instanceof NoSuchFileException) return "no such folder";
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }
}
