package dev.nightshift.spark;

import java.io.Serializable;

/** A file the driver listed: where it is (a URI Hadoop's file systems can open) and how big it is. */
record FileRef(String uri, long size, long modifiedMillis) implements Serializable {
}
