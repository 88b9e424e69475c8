package io.aviary.rules.internal;

import io.aviary.rules.RuleEvalException;
import io.aviary.rules.TopicFilters;
import io.aviary.rules.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The expression tree's node kinds. Each evaluates with EMQX's semantics (emqx_rule_runtime's
 * eval, compare and match_conditions); operators share their arithmetic with the functions of
 * the same name through {@link Ops}.
 */
final class Nodes {

    private Nodes() {}

    record Const(Object value) implements Expr {
        @Override
        public Object eval(Env env) {
            return value;
        }
    }

    /** A plain name: a column, an alias selected earlier, or FOREACH's item. */
    record Var(String name) implements Expr {
        @Override
        public Object eval(Env env) {
            return env.get(name);
        }
    }

    /** name.a.b[1]...: payload.* reads the decoded payload. */
    record PathRef(String head, Paths.Segment[] path) implements Expr {
        @Override
        public Object eval(Env env) {
            Object v = env.get(head);
            if (v != null && "payload".equals(head) && Values.isString(v)) {
                v = env.decodePayload(v);
            }
            return Paths.get(v, path, 0, env);
        }
    }

    /** [1..5]: the integers from begin to end. */
    record Range(long begin, long end) implements Expr {
        @Override
        public Object eval(Env env) {
            List<Object> out = new ArrayList<>();
            for (long i = begin; i <= end; i++) {
                out.add(i);
            }
            return out;
        }
    }

    /** payload.x[2..-1]: a slice, 1-based, negative from the end. */
    record GetRange(Expr of, long begin, long end) implements Expr {
        @Override
        public Object eval(Env env) {
            Object v = of.eval(env);
            if (!(v instanceof List<?> list)) {
                throw new RuleEvalException("range_get: not an array: " + Values.describe(v));
            }
            int n = list.size();
            long b = index(begin, n);
            long e = index(end, n);
            long len = e - b + 1;
            if (b < 1 || len < 0 || b > n + 1) {
                throw new RuleEvalException("range_get: bad range [" + begin + ".." + end + "] of " + n + " elements");
            }
            return new ArrayList<>(list.subList((int) b - 1, (int) Math.min(n, b - 1 + len)));
        }

        private static long index(long i, int n) {
            if (i == 0) {
                throw new RuleEvalException("range_get: invalid index 0");
            }
            return i > 0 ? i : n + i + 1;
        }
    }

    record ListLit(Expr[] items) implements Expr {
        @Override
        public Object eval(Env env) {
            List<Object> out = new ArrayList<>(items.length);
            for (Expr e : items) {
                out.add(e.eval(env));
            }
            return out;
        }
    }

    record Negate(Expr e) implements Expr {
        @Override
        public Object eval(Env env) {
            Object v = e.eval(env);
            if (Values.isInt(v)) {
                return -((Number) v).longValue();
            }
            if (Values.isFloat(v)) {
                return -((Number) v).doubleValue();
            }
            throw new RuleEvalException("badarith: -" + Values.describe(v));
        }
    }

    record Arith(char op, Expr l, Expr r) implements Expr {
        @Override
        public Object eval(Env env) {
            return Ops.arith(op, l.eval(env), r.eval(env));
        }
    }

    /** =, !=, <>, <, >, <=, >=, =~ with EMQX's compare/3. */
    record Compare(String op, Expr l, Expr r) implements Expr {
        @Override
        public Object eval(Env env) {
            return Ops.compare(op, l.eval(env), r.eval(env));
        }
    }

    /** x IN (a, b): exact match (=:=), as lists:member. */
    record In(Expr e, Expr[] list, boolean negate) implements Expr {
        @Override
        public Object eval(Env env) {
            Object v = e.eval(env);
            boolean found = false;
            for (Expr item : list) {
                if (Values.exactlyEqual(v, item.eval(env))) {
                    found = true;
                    break;
                }
            }
            return found != negate;
        }
    }

    /** NOT: a non-boolean operand gives false, as in EMQX. */
    record Not(Expr e) implements Expr {
        @Override
        public Object eval(Env env) {
            Object v = e.eval(env);
            return v instanceof Boolean b ? !b : Boolean.FALSE;
        }
    }

    /** AND / OR: short-circuit; the left side must be a boolean (Erlang's andalso/orelse). */
    record Logic(boolean and, Expr l, Expr r) implements Expr {
        @Override
        public Object eval(Env env) {
            Object lv = l.eval(env);
            if (!(lv instanceof Boolean b)) {
                throw new RuleEvalException("badarg: " + (and ? "AND" : "OR") + " of a non-boolean: " + Values.describe(lv));
            }
            if (b != and) {
                return b;
            }
            return r.eval(env);
        }
    }

    /** CASE [on] WHEN .. THEN .. [ELSE ..] END. */
    record Case(Expr on, Expr[] whens, Expr[] thens, Expr otherwise) implements Expr {
        @Override
        public Object eval(Env env) {
            if (on == null) {
                for (int i = 0; i < whens.length; i++) {
                    if (Boolean.TRUE.equals(whens[i].eval(env))) {
                        return thens[i].eval(env);
                    }
                }
            } else {
                for (int i = 0; i < whens.length; i++) {
                    Object when = whens[i].eval(env);
                    if (Values.exactlyEqual(on.eval(env), when)) {
                        return thens[i].eval(env);
                    }
                }
            }
            return otherwise == null ? null : otherwise.eval(env);
        }
    }

    record Call(String name, Fn fn, Expr[] args) implements Expr {
        @Override
        public Object eval(Env env) {
            Object[] values = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                values[i] = args[i].eval(env);
            }
            try {
                return fn.call(values, env);
            } catch (RuleEvalException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new RuleEvalException("bad_sql_function_argument: " + name + "("
                        + describeArgs(values) + "): " + e, e);
            }
        }

        @Override
        public String toString() {
            return name + Arrays.toString(args);
        }
    }

    static String describeArgs(Object[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Values.describe(values[i]));
        }
        return sb.toString();
    }

    /** Topic filter match for =~ (topic on the left, filter on the right). */
    static boolean topicMatch(Object topic, Object filter) {
        return TopicFilters.matches(Values.text(topic), Values.text(filter));
    }
}
