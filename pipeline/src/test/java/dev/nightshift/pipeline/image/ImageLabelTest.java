package dev.nightshift.pipeline.image;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImageLabelTest {
    @Test
    void theLabelLineNamesOneOfTheSet() {
        assertThat(ImageLabel.parse("A bar chart of sales by month.\nLabel: chart")).isEqualTo(ImageLabel.CHART);
        assertThat(ImageLabel.parse("A page of typed text.\nLabel: Scanned text page.")).isEqualTo(ImageLabel.SCANNED_TEXT_PAGE);
        assertThat(ImageLabel.parse("The company's emblem.\nlabel: logo")).isEqualTo(ImageLabel.LOGO_OR_ICON);
        // A photo mentioned in the description does not count: only what follows "Label".
        assertThat(ImageLabel.parse("A photo of a map on a wall.\nLabel: map")).isEqualTo(ImageLabel.MAP);
        assertThat(ImageLabel.parse("Something hard to say.")).isEqualTo(ImageLabel.OTHER);
        assertThat(ImageLabel.parse("Label: a painting")).isEqualTo(ImageLabel.OTHER);
    }

    @Test
    void theDescriptionLeavesTheLabelLineOut() {
        assertThat(ImageLabel.description("A bar chart.\nIt rises.\nLabel: chart")).isEqualTo("A bar chart.\nIt rises.");
    }
}
