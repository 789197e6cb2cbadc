package dev.nightshift.jobs.cli;

/** What build of nightshift this is: recorded with every run and told to MCP clients. */
public final class Build {
    private Build() {
    }

    /** This build's version, from the jar's manifest; "dev" when run from classes. */
    public static String version() {
        String v = Build.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
