package dev.nightshift.pipeline.image;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PictureProcessorTest {
    @Test
    void aPictureBelongsToTheDocumentDirectlyAroundIt() {
        assertThat(PictureProcessor.parentOf("a.zip!/b.docx/c.png")).isEqualTo("a.zip!/b.docx");
        assertThat(PictureProcessor.parentOf("report.docx!/image1.png")).isEqualTo("report.docx");
        assertThat(PictureProcessor.parentOf("a.zip!/dir/b.docx!/media/c.png")).isEqualTo("a.zip!/dir/b.docx!/media");
        // A file on disk is inside nothing: its own locator.
        assertThat(PictureProcessor.parentOf("/home/me/photo.jpg")).isEqualTo("/home/me/photo.jpg");
    }
}
