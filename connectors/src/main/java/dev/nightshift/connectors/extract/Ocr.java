package dev.nightshift.connectors.extract;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Whether Tesseract, which Tika calls for text in images and scanned PDFs, is installed. */
public final class Ocr {
    private Ocr() {
    }

    public static boolean available() {
        try {
            Process p = new ProcessBuilder("tesseract", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
