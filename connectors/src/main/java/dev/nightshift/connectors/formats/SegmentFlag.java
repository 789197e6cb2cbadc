package dev.nightshift.connectors.formats;

/**
 * One issue the check found in one segment of a file.
 *
 * @param segment the segment's place among the file's text units, from 0
 * @param detail  what exactly (the missing number, the link)
 */
public record SegmentFlag(int segment, SegmentIssue issue, String source, String translation, String detail) {
}
