package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.FetchedDocument;
import dev.nightshift.pipeline.core.SourceItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentPreparerTest {
    @TempDir
    Path dir;

    @Test
    void aPictureFileKeepsItsBytesForTheVisionModel() throws Exception {
        Path png = Files.write(dir.resolve("a.png"), new byte[]{1, 2, 3});
        PreparedDocument kept = DocumentPreparer.withImageFile(picture(png, 3), item(png, 3));
        assertThat(kept.imageBytes()).containsExactly(1, 2, 3);
        assertThat(kept.imageNotKept()).isNull();
    }

    @Test
    void aPictureThatCannotBeReadSaysWhy() {
        Path gone = dir.resolve("gone.png");
        PreparedDocument p = DocumentPreparer.withImageFile(picture(gone, 10), item(gone, 10));
        assertThat(p.imageBytes()).isNull();
        assertThat(p.imageNotKept()).startsWith("cannot read the file: ").contains("gone.png");
    }

    @Test
    void aPictureOverTheLimitIsNotReadIntoMemory() {
        Path huge = dir.resolve("huge.png"); // never read: the size decides
        long size = DocumentPreparer.MAX_IMAGE_FILE_BYTES + 1;
        PreparedDocument p = DocumentPreparer.withImageFile(picture(huge, size), item(huge, size));
        assertThat(p.imageBytes()).isNull();
        assertThat(p.imageNotKept()).isEqualTo("the file is over 64 MB, the limit for describing a picture");
    }

    private static SourceItem item(Path file, long size) {
        return new SourceItem(file.toString(), file, size, null);
    }

    private static PreparedDocument picture(Path file, long size) {
        Extraction e = new Extraction(ExtractionStatus.IMAGE, "", "image/png", "test", "test", "0", null, 0, "a picture");
        return new PreparedDocument(new FetchedDocument(item(file, size), "0".repeat(64), size), e, null, List.of(), null);
    }
}
