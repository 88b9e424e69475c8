package io.aviary.rules.internal;

import io.aviary.rules.RuleEvents;
import io.aviary.rules.RuleSqlException;
import io.aviary.rules.parser.RuleSqlLexer;
import io.aviary.rules.parser.RuleSqlParser;
import io.aviary.rules.parser.RuleSqlParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Parses rule SQL with the ANTLR grammar (RuleSql.g4) and compiles the parse tree into an
 * expression tree: names resolved to functions (unknown names and wrong argument counts are
 * compile errors with their position), constants folded into literals, FROM split into topic
 * filters, events and bridges. Runs once per rule, never per message.
 */
public final class Compiler {

    /** The compiled rule: its program and its FROM list. */
    public record Result(Program program, List<String> topicFilters, List<String> events, List<String> bridges,
            List<String> from) {}

    /** The most elements a [a..b] literal may make (it is built per message). */
    static final long MAX_RANGE = 100_000;

    private final long aliasStamp = System.nanoTime();
    private int ephemeral;

    public static Result compile(String sql) throws RuleSqlException {
        if (sql == null || sql.isBlank()) {
            throw new RuleSqlException(1, 1, "the SQL is empty");
        }
        RuleSqlLexer lexer = new RuleSqlLexer(CharStreams.fromString(sql));
        SyntaxErrors errors = new SyntaxErrors();
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        RuleSqlParser parser = new RuleSqlParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        parser.getInterpreter().setPredictionMode(PredictionMode.LL);
        try {
            SqlContext tree = parser.sql();
            return new Compiler().build(tree);
        } catch (SyntaxErrors.Abort a) {
            throw a.error;
        } catch (CompileError c) {
            throw c.error;
        } catch (StackOverflowError deep) {
            throw new RuleSqlException(1, 1, "the SQL nests too deeply");
        }
    }

    /** A semantic error found while building (unknown function, bad FROM), with its position. */
    private static final class CompileError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final RuleSqlException error;

        CompileError(Token at, String reason) {
            super(reason, null, false, false);
            this.error = new RuleSqlException(at.getLine(), at.getCharPositionInLine() + 1, reason);
        }
    }

    private Result build(SqlContext tree) {
        FieldsContext fields;
        FromClauseContext from;
        WhereClauseContext where;
        DoClauseContext doClause = null;
        IncaseClauseContext incase = null;
        boolean foreach = tree.foreachStmt() != null;
        if (foreach) {
            ForeachStmtContext f = tree.foreachStmt();
            fields = f.fields();
            from = f.fromClause();
            where = f.whereClause();
            doClause = f.doClause();
            incase = f.incaseClause();
        } else {
            SelectStmtContext s = tree.selectStmt();
            fields = s.fields();
            from = s.fromClause();
            where = s.whereClause();
        }
        List<String> filters = new ArrayList<>();
        List<String> events = new ArrayList<>();
        List<String> bridges = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (FromItemContext item : from.fromItem()) {
            // EMQX takes both "t/#" and 't/#' in FROM
            TerminalNode q = item.QNAME() != null ? item.QNAME() : item.STRING();
            String name = unquote(q.getText(), q.getText().charAt(0));
            all.add(name);
            if (name.startsWith("$events/")) {
                String event = RuleEvents.eventName(name);
                if (event == null) {
                    throw new CompileError(q.getSymbol(), "unknown event \"" + name + "\"; known events: "
                            + String.join(", ", RuleEvents.eventTopics()));
                }
                if (!events.contains(event)) {
                    events.add(event);
                }
            } else if (name.startsWith("$bridges/") || name.startsWith("$sources/")) {
                String id = name.substring(name.indexOf('/') + 1);
                if (id.isEmpty()) {
                    throw new CompileError(q.getSymbol(), "\"" + name + "\" needs an id after the slash");
                }
                bridges.add(id);
            } else {
                String problem = filterProblem(name);
                if (problem != null) {
                    throw new CompileError(q.getSymbol(), "bad topic filter \"" + name + "\": " + problem);
                }
                filters.add(name);
            }
        }
        Program.Field[] selectFields = fields(fields, foreach);
        Program.Field[] doFields = doClause == null ? new Program.Field[0] : fields(doClause.fields(), false);
        Expr incaseExpr = incase == null ? null : expr(incase.expr());
        Expr whereExpr = where == null ? null : expr(where.expr());
        Program program = new Program(foreach, selectFields, doFields, incaseExpr, whereExpr);
        return new Result(program, List.copyOf(filters), List.copyOf(events), List.copyOf(bridges), List.copyOf(all));
    }

    /** Why a FROM topic filter is invalid, or null. */
    static String filterProblem(String f) {
        if (f.isEmpty()) {
            return "empty";
        }
        if (f.length() > 65535) {
            return "too long";
        }
        String[] levels = f.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.contains("#") && (!l.equals("#") || i != levels.length - 1)) {
                return "'#' must be a whole level and the last one";
            }
            if (l.contains("+") && !l.equals("+")) {
                return "'+' must be a whole level";
            }
        }
        return f.indexOf('\u0000') >= 0 ? "contains U+0000" : null;
    }

    private Program.Field[] fields(FieldsContext ctx, boolean foreach) {
        List<Program.Field> out = new ArrayList<>();
        for (FieldContext f : ctx.field()) {
            if (f instanceof StarFieldContext) {
                out.add(new Program.Field(null, null, true, null));
                continue;
            }
            ExprFieldContext ef = (ExprFieldContext) f;
            Expr e = expr(ef.expr());
            Paths.Segment[] key;
            String itemName = null;
            if (ef.alias != null) {
                key = refPath(ef.alias);
                itemName = ef.alias.segment().isEmpty() ? refHead(ef.alias) : lastKey(key);
            } else {
                key = implicitKey(e);
            }
            out.add(new Program.Field(e, key, false, itemName));
        }
        return out.toArray(new Program.Field[0]);
    }

    private static String lastKey(Paths.Segment[] key) {
        for (int i = key.length - 1; i >= 0; i--) {
            if (key[i].isKey()) {
                return key[i].key();
            }
        }
        return "item";
    }

    // EMQX's alias/2: a name or path keeps its own name, a string constant names itself, anything
    // else gets an ephemeral "_v_<kind>_..." key
    private Paths.Segment[] implicitKey(Expr e) {
        if (e instanceof Nodes.Var v) {
            return new Paths.Segment[] {Paths.Segment.key(v.name())};
        }
        if (e instanceof Nodes.PathRef p) {
            return withHead(p.head(), p.path());
        }
        if (e instanceof Nodes.GetRange g) {
            return implicitKey(g.of());
        }
        if (e instanceof Nodes.Const c && c.value() instanceof String s) {
            return new Paths.Segment[] {Paths.Segment.key(s)};
        }
        String kind;
        if (e instanceof Nodes.Call call) {
            kind = "fun_" + call.name();
        } else if (e instanceof Nodes.Const c) {
            kind = "const_" + c.value();
        } else if (e instanceof Nodes.ListLit l) {
            kind = "list_" + l.items().length;
        } else if (e instanceof Nodes.Range r) {
            kind = "range_{" + r.begin() + "," + r.end() + "}";
        } else if (e instanceof Nodes.Case) {
            kind = "case";
        } else {
            kind = "op";
        }
        return new Paths.Segment[] {Paths.Segment.key("_v_" + kind + "_" + (aliasStamp + ephemeral++))};
    }

    private static Paths.Segment[] withHead(String head, Paths.Segment[] path) {
        Paths.Segment[] key = new Paths.Segment[path.length + 1];
        key[0] = Paths.Segment.key(head);
        System.arraycopy(path, 0, key, 1, path.length);
        return key;
    }

    Expr expr(ExprContext ctx) {
        if (ctx instanceof PrimaryExprContext p) {
            return primary(p.primary());
        }
        if (ctx instanceof UnaryExprContext u) {
            Expr e = expr(u.expr());
            return u.op.getText().equals("-") ? fold(new Nodes.Negate(e)) : e;
        }
        if (ctx instanceof MulExprContext m) {
            char op;
            switch (m.op.getType()) {
                case RuleSqlLexer.DIV: op = 'd'; break;
                case RuleSqlLexer.MOD: op = 'm'; break;
                default: op = m.op.getText().charAt(0);
            }
            return new Nodes.Arith(op, expr(m.expr(0)), expr(m.expr(1)));
        }
        if (ctx instanceof AddExprContext a) {
            return new Nodes.Arith(a.op.getText().charAt(0), expr(a.expr(0)), expr(a.expr(1)));
        }
        if (ctx instanceof CmpExprContext c) {
            return new Nodes.Compare(c.op.getText(), expr(c.expr(0)), expr(c.expr(1)));
        }
        if (ctx instanceof InExprContext in) {
            List<ExprContext> all = in.expr();
            Expr[] list = new Expr[all.size() - 1];
            for (int i = 1; i < all.size(); i++) {
                list[i - 1] = expr(all.get(i));
            }
            return new Nodes.In(expr(all.get(0)), list, in.NOT() != null);
        }
        if (ctx instanceof NotExprContext n) {
            return new Nodes.Not(expr(n.expr()));
        }
        if (ctx instanceof AndExprContext a) {
            return new Nodes.Logic(true, expr(a.expr(0)), expr(a.expr(1)));
        }
        if (ctx instanceof OrExprContext o) {
            return new Nodes.Logic(false, expr(o.expr(0)), expr(o.expr(1)));
        }
        throw new CompileError(ctx.getStart(), "unsupported expression");
    }

    private static Expr fold(Nodes.Negate n) {
        if (n.e() instanceof Nodes.Const c && (c.value() instanceof Long || c.value() instanceof Double)) {
            return new Nodes.Const(n.eval(null));
        }
        return n;
    }

    private Expr primary(PrimaryContext ctx) {
        if (ctx instanceof StringLitContext s) {
            return new Nodes.Const(unquote(s.STRING().getText(), '\''));
        }
        if (ctx instanceof IntLitContext i) {
            try {
                return new Nodes.Const(Long.parseLong(i.INT().getText()));
            } catch (NumberFormatException e) {
                return new Nodes.Const(Double.parseDouble(i.INT().getText()));
            }
        }
        if (ctx instanceof FloatLitContext f) {
            return new Nodes.Const(Double.parseDouble(f.FLOAT().getText()));
        }
        if (ctx instanceof BoolLitContext b) {
            return new Nodes.Const(b.TRUE() != null);
        }
        if (ctx instanceof RangeLitContext r) {
            long[] be = range(r.RANGE());
            if (be[1] - be[0] >= MAX_RANGE) {
                throw new CompileError(r.RANGE().getSymbol(), "a range may have at most " + MAX_RANGE + " elements");
            }
            return new Nodes.Range(be[0], be[1]);
        }
        if (ctx instanceof ListLitContext l) {
            Expr[] items = new Expr[l.expr().size()];
            for (int i = 0; i < items.length; i++) {
                items[i] = expr(l.expr(i));
            }
            return new Nodes.ListLit(items);
        }
        if (ctx instanceof CaseExprContext c) {
            List<WhenThenContext> wts = c.whenThen();
            Expr[] whens = new Expr[wts.size()];
            Expr[] thens = new Expr[wts.size()];
            for (int i = 0; i < whens.length; i++) {
                whens[i] = expr(wts.get(i).expr(0));
                thens[i] = expr(wts.get(i).expr(1));
            }
            return new Nodes.Case(c.on == null ? null : expr(c.on), whens, thens,
                    c.otherwise == null ? null : expr(c.otherwise));
        }
        if (ctx instanceof CallExprContext call) {
            String name = call.fname.getText().toLowerCase(Locale.ROOT);
            int arity = call.expr().size();
            if (!Functions.exists(name)) {
                throw new CompileError(call.fname, "unknown function " + name + "()");
            }
            Fn fn = Functions.lookup(name, arity);
            if (fn == null) {
                throw new CompileError(call.fname, name + "() takes " + Functions.arities(name) + " argument(s), not " + arity);
            }
            Expr[] args = new Expr[arity];
            for (int i = 0; i < arity; i++) {
                args[i] = expr(call.expr(i));
            }
            return new Nodes.Call(name, fn, args);
        }
        if (ctx instanceof RefExprContext r) {
            Expr ref = ref(r.ref());
            if (r.RANGE() != null) {
                long[] be = range(r.RANGE());
                return new Nodes.GetRange(ref, be[0], be[1]);
            }
            return ref;
        }
        if (ctx instanceof ParenExprContext p) {
            return expr(p.expr());
        }
        throw new CompileError(((ParserRuleContext) ctx).getStart(), "unsupported expression");
    }

    private static long[] range(TerminalNode t) {
        String s = t.getText().replaceAll("[\\[\\]\\s]", "");
        int dots = s.indexOf("..");
        return new long[] {Long.parseLong(s.substring(0, dots).replace("+", "")),
                Long.parseLong(s.substring(dots + 2).replace("+", ""))};
    }

    private Expr ref(RefContext r) {
        String head = refHead(r);
        if (r.segment().isEmpty()) {
            return new Nodes.Var(head);
        }
        return new Nodes.PathRef(head, segments(r));
    }

    private static String refHead(RefContext r) {
        return r.NAME() != null ? r.NAME().getText() : unquote(r.QNAME().getText(), '"');
    }

    private Paths.Segment[] refPath(RefContext r) {
        return withHead(refHead(r), segments(r));
    }

    private Paths.Segment[] segments(RefContext r) {
        List<Paths.Segment> out = new ArrayList<>();
        for (SegmentContext s : r.segment()) {
            if (s instanceof KeySegmentContext k) {
                String text = k.getChild(1).getText();
                if (k.QNAME() != null) {
                    text = unquote(text, '"');
                } else if (k.STRING() != null) {
                    text = unquote(text, '\'');
                }
                out.add(Paths.Segment.key(text));
            } else if (s instanceof IndexSegmentContext ix) {
                long i = Long.parseLong(ix.INT().getText());
                boolean negative = ix.sign != null && ix.sign.getText().equals("-");
                if (i == 0) {
                    out.add(Paths.Segment.index(negative ? Paths.TAIL : Paths.HEAD));
                } else {
                    out.add(Paths.Segment.index(negative ? -i : i));
                }
            } else {
                out.add(Paths.Segment.indexOf(ref(((RefIndexSegmentContext) s).ref())));
            }
        }
        return out.toArray(new Paths.Segment[0]);
    }

    /** Strips the quotes; a doubled quote inside stands for one. */
    static String unquote(String text, char quote) {
        String inner = text.substring(1, text.length() - 1);
        String two = String.valueOf(quote) + quote;
        return inner.contains(two) ? inner.replace(two, String.valueOf(quote)) : inner;
    }
}
