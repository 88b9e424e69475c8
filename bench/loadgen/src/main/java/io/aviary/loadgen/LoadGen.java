package io.aviary.loadgen;

/**
 * Command-line entry point (bench/loadgen.sh): parses the options, runs the mode, prints the
 * per-second lines on stderr and the JSON result on stdout. Exit status 1 when no client could
 * connect, 2 for a bad command line.
 */
public final class LoadGen {
    private LoadGen() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        Result result = new Runner(options, System.err).run();
        System.out.println(result.toJsonLine());
        System.out.flush();
        System.exit(result.connected == 0 ? 1 : 0);
    }
}
