package io.aviary.api.rules;

/**
 * Rule SQL that does not compile. An IllegalArgumentException like every other bad field (the
 * API's 400), with the position and what was expected, so the API can show them.
 */
public final class RuleSqlError extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String reason;

    public RuleSqlError(int line, int column, String reason) {
        super("field 'sql': line " + line + ", column " + column + ": " + reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** 1-based line of the error. */
    public int line() {
        return line;
    }

    /** 1-based column of the error. */
    public int column() {
        return column;
    }

    /** What went wrong, without the position ("expected FROM but found 'x'"). */
    public String reason() {
        return reason;
    }
}
