package io.aviary.rules.internal;

import io.aviary.rules.RuleSqlException;
import io.aviary.rules.parser.RuleSqlLexer;
import io.aviary.rules.parser.RuleSqlParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's first syntax error into a {@link RuleSqlException} a user can act on: the line,
 * the column, what was found and what would have been valid there ("expected FROM or ','").
 * ANTLR reports through a listener; the exception is carried out unchecked and unwrapped by the
 * compiler.
 */
final class SyntaxErrors extends BaseErrorListener {

    /** Carries the checked exception through ANTLR's call stack. */
    static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final RuleSqlException error;

        Abort(RuleSqlException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    private static final Set<Integer> EXPRESSION_START = Set.of(RuleSqlLexer.NAME, RuleSqlLexer.QNAME,
            RuleSqlLexer.STRING, RuleSqlLexer.INT, RuleSqlLexer.FLOAT, RuleSqlLexer.TRUE, RuleSqlLexer.FALSE,
            RuleSqlLexer.RANGE, RuleSqlLexer.CASE, RuleSqlLexer.NOT, RuleSqlLexer.MOD, RuleSqlLexer.DIV);

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
            String msg, RecognitionException e) {
        int column = charPositionInLine + 1;
        if (!(recognizer instanceof Parser parser)) {
            // a lexer error: msg is "token recognition error at: 'x'"
            int at = msg.indexOf("at: ");
            String what = at >= 0 ? msg.substring(at + 4) : msg;
            boolean quote = what.startsWith("'\"") || what.startsWith("''");
            String reason = quote ? "unterminated " + (what.charAt(1) == '"' ? "\"quoted name\"" : "'string'")
                    : "unexpected character " + (what.length() > 8 ? what.substring(0, 8) + "...'" : what);
            throw new Abort(new RuleSqlException(line, column, reason));
        }
        Token t = (Token) offendingSymbol;
        String found = t == null || t.getType() == Token.EOF ? "the end of the SQL" : "'" + t.getText() + "'";
        IntervalSet expected = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : parser.getExpectedTokens();
        String exp = describe(expected, parser);
        String reason = exp.isEmpty() ? "unexpected " + found : "expected " + exp + " but found " + found;
        throw new Abort(new RuleSqlException(line, column, reason));
    }

    private static String describe(IntervalSet expected, Parser parser) {
        if (expected == null) {
            return "";
        }
        Set<String> names = new LinkedHashSet<>();
        boolean expression = false;
        List<Integer> types = expected.toList();
        int exprTokens = 0;
        for (int type : types) {
            if (isPrefix(type, parser)) {
                exprTokens++;
            }
        }
        for (int type : types) {
            if (exprTokens >= 4 && isPrefix(type, parser)) {
                expression = true;
                continue;
            }
            names.add(name(type, parser));
        }
        List<String> out = new ArrayList<>();
        if (expression) {
            out.add("an expression");
        }
        out.addAll(names);
        if (out.size() > 6) {
            return String.join(", ", out.subList(0, 6)) + ", ...";
        }
        if (out.size() <= 1) {
            return String.join("", out);
        }
        return String.join(", ", out.subList(0, out.size() - 1)) + " or " + out.get(out.size() - 1);
    }

    // tokens that can start an expression: names, literals, CASE, NOT and ( [ + -
    private static boolean isPrefix(int type, Parser parser) {
        if (EXPRESSION_START.contains(type)) {
            return true;
        }
        String lit = parser.getVocabulary().getLiteralName(type);
        return lit != null && (lit.equals("'('") || lit.equals("'['") || lit.equals("'+'") || lit.equals("'-'"));
    }

    private static String name(int type, Parser parser) {
        switch (type) {
            case Token.EOF:
                return "the end of the SQL";
            case RuleSqlParser.NAME:
                return "a name";
            case RuleSqlParser.QNAME:
                return "a \"quoted\" name or topic";
            case RuleSqlParser.STRING:
                return "a 'string'";
            case RuleSqlParser.INT:
                return "an integer";
            case RuleSqlParser.FLOAT:
                return "a number";
            case RuleSqlParser.RANGE:
                return "a range [a..b]";
            default:
                String lit = parser.getVocabulary().getLiteralName(type);
                if (lit != null && lit.length() > 2 && Character.isLetter(lit.charAt(1))) {
                    return lit.substring(1, lit.length() - 1).toUpperCase(java.util.Locale.ROOT);
                }
                return lit != null ? lit : parser.getVocabulary().getDisplayName(type);
        }
    }
}
