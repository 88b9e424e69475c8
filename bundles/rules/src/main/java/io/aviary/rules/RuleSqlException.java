package io.aviary.rules;

/**
 * Rule SQL that does not compile: a syntax error, an unknown function or a wrong number of
 * arguments. The message names the line, the column and what was expected, so the admin API can
 * answer 400 with it as is ("line 1, column 14: expected FROM").
 */
public final class RuleSqlException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String reason;

    public RuleSqlException(int line, int column, String reason) {
        super("line " + line + ", column " + column + ": " + reason);
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

    /** What went wrong, without the position. */
    public String reason() {
        return reason;
    }
}
