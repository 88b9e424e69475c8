package io.aviary.rules.internal;

import io.aviary.rules.RuleContext;
import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled SELECT or FOREACH, run as EMQX's emqx_rule_runtime runs it: SELECT fields are
 * evaluated in order into the output (each sees the earlier ones), WHERE sees the output over
 * the columns; FOREACH collects its last field as the array, filters each item with INCASE and
 * shapes it with DO. Immutable, so one instance serves every thread.
 */
public final class Program {

    /** One SELECT/DO field: an expression and the key path it is stored under ("*" when star). */
    public record Field(Expr expr, Paths.Segment[] key, boolean star, String itemName) {}

    private final boolean foreach;
    private final Field[] fields;
    private final Field[] doEach;
    private final Expr incase;
    private final Expr where;
    private final boolean doStar;

    Program(boolean foreach, Field[] fields, Field[] doEach, Expr incase, Expr where) {
        this.foreach = foreach;
        this.fields = fields;
        this.doEach = doEach;
        this.incase = incase;
        this.where = where;
        boolean star = false;
        for (Field f : doEach) {
            star |= f.star;
        }
        this.doStar = star;
    }

    public boolean foreach() {
        return foreach;
    }

    /** Runs the rule on one message: its outputs, empty when WHERE (or every INCASE) said no. */
    public List<Map<String, Object>> apply(RuleContext ctx) {
        try {
            return foreach ? applyForeach(ctx) : applySelect(ctx);
        } catch (RuleEvalException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new RuleEvalException("exception: " + e, e);
        }
    }

    private List<Map<String, Object>> applySelect(RuleContext ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        Env env = new Env(ctx, out);
        select(fields, out, env, ctx);
        if (where != null && !condition(where, env, "WHERE")) {
            return Collections.emptyList();
        }
        return Collections.singletonList(out);
    }

    private static void select(Field[] fields, Map<String, Object> out, Env env, RuleContext ctx) {
        select(fields, out, env, ctx, null);
    }

    /** {@code star}, when given, is what '*' copies (FOREACH's DO: the columns, the selected fields and the item). */
    private static void select(Field[] fields, Map<String, Object> out, Env env, RuleContext ctx, Map<String, Object> star) {
        for (Field f : fields) {
            if (f.star) {
                out.putAll(star != null ? star : ctx.columns());
            } else {
                Paths.put(out, f.key, f.expr.eval(env), env);
            }
        }
    }

    private List<Map<String, Object>> applyForeach(RuleContext ctx) {
        Map<String, Object> selected = new LinkedHashMap<>();
        Map<String, Object> aliased = new HashMap<>();
        Env env = new Env(ctx, selected, aliased);
        Object collection = null;
        String itemName = "item";
        for (int i = 0; i < fields.length; i++) {
            Field f = fields[i];
            if (f.star) {
                selected.putAll(ctx.columns());
                continue;
            }
            Object v = f.expr.eval(env);
            Paths.put(selected, f.key, v, env);
            if (i == fields.length - 1) {
                collection = v;
                if (f.itemName != null) {
                    itemName = f.itemName;
                }
                if (f.expr instanceof Nodes.Var var && var.name().equals("payload") && Values.isString(v)) {
                    collection = env.decodePayload(v);
                }
            } else if (f.itemName != null) {
                // an aliased field is also a column for the fields after it (select_and_collect)
                Paths.put(aliased, f.key, v, env);
            }
        }
        if (where != null && !condition(where, env, "WHERE")) {
            return Collections.emptyList();
        }
        if (!(collection instanceof List<?> items) || items.isEmpty()) {
            return Collections.emptyList();
        }
        List<Map<String, Object>> outs = new ArrayList<>(items.size());
        for (Object item : items) {
            Map<String, Object> itemScope = new HashMap<>(2);
            itemScope.put(itemName, item);
            Env itemEnv = new Env(ctx, itemScope, selected, aliased);
            if (incase != null && !condition(incase, itemEnv, "INCASE")) {
                continue;
            }
            if (doEach.length == 0) {
                outs.add(columnsAndItem(ctx, aliased, selected, itemName, item));
            } else {
                Map<String, Object> out = new LinkedHashMap<>();
                Map<String, Object> star = doStar ? columnsAndItem(ctx, aliased, selected, itemName, item) : null;
                select(doEach, out, new Env(ctx, out, itemScope, selected, aliased), ctx, star);
                outs.add(out);
            }
        }
        return outs;
    }

    private static Map<String, Object> columnsAndItem(RuleContext ctx, Map<String, Object> aliased,
            Map<String, Object> selected, String itemName, Object item) {
        Map<String, Object> out = ctx.columns();
        out.putAll(aliased);
        out.putAll(selected);
        out.put(itemName, item);
        return out;
    }

    /** A condition must give a boolean (EMQX fails the rule otherwise). */
    private static boolean condition(Expr e, Env env, String clause) {
        Object v = e.eval(env);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new RuleEvalException(clause + " must give true or false, got " + Values.typeName(v) + " " + Values.describe(v));
    }
}
