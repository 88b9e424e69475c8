package io.aviary.rules.internal;

import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;

/**
 * EMQX's operators: arithmetic ('+' adds numbers and concatenates when either side is a
 * string), and compare/3 (undefined matches only undefined, numbers against strings convert
 * the string, =~ matches a topic against a filter).
 */
public final class Ops {

    private Ops() {}

    public static Object arith(char op, Object l, Object r) {
        boolean nums = Values.isNumber(l) && Values.isNumber(r);
        switch (op) {
            case '+':
                if (nums) {
                    if (Values.isInt(l) && Values.isInt(r)) {
                        long a = ((Number) l).longValue();
                        long b = ((Number) r).longValue();
                        long s = a + b;
                        return ((a ^ s) & (b ^ s)) < 0 ? (double) a + (double) b : (Object) s;
                    }
                    return ((Number) l).doubleValue() + ((Number) r).doubleValue();
                }
                if (Values.isString(l) || Values.isString(r)) {
                    return Values.concat(l, r);
                }
                break;
            case '-':
                if (nums) {
                    if (Values.isInt(l) && Values.isInt(r)) {
                        return ((Number) l).longValue() - ((Number) r).longValue();
                    }
                    return ((Number) l).doubleValue() - ((Number) r).doubleValue();
                }
                break;
            case '*':
                if (nums) {
                    if (Values.isInt(l) && Values.isInt(r)) {
                        long a = ((Number) l).longValue();
                        long b = ((Number) r).longValue();
                        long hi = Math.multiplyHigh(a, b);
                        long lo = a * b;
                        return (hi == 0 && lo >= 0) || (hi == -1 && lo < 0) ? (Object) lo : (double) a * (double) b;
                    }
                    return ((Number) l).doubleValue() * ((Number) r).doubleValue();
                }
                break;
            case '/':
                if (nums) {
                    double d = ((Number) r).doubleValue();
                    if (d == 0) {
                        throw new RuleEvalException("badarith: division by zero: " + Values.describe(l) + " / " + Values.describe(r));
                    }
                    return ((Number) l).doubleValue() / d;
                }
                break;
            case 'd':
            case 'm':
                if (Values.isInt(l) && Values.isInt(r)) {
                    long b = ((Number) r).longValue();
                    if (b == 0) {
                        throw new RuleEvalException("badarith: integer division by zero: " + Values.describe(l)
                                + (op == 'd' ? " div " : " mod ") + "0");
                    }
                    long a = ((Number) l).longValue();
                    return op == 'd' ? a / b : a % b;
                }
                throw new RuleEvalException("bad_sql_function_argument: " + (op == 'd' ? "div" : "mod")
                        + " needs two integers, got " + Values.describe(l) + " and " + Values.describe(r));
            default:
                break;
        }
        throw new RuleEvalException("bad_sql_function_argument: '" + op + "' needs numbers"
                + (op == '+' ? " or a string" : "") + ", got " + Values.typeName(l) + " " + Values.describe(l)
                + " and " + Values.typeName(r) + " " + Values.describe(r));
    }

    public static Boolean compare(String op, Object l, Object r) {
        if (l == null || r == null) {
            if (l != null || r != null) {
                return false;
            }
            switch (op) {
                case "=":
                case "<=":
                case ">=":
                    return true;
                case "=~":
                    throw new RuleEvalException("badarg: =~ needs a topic and a topic filter, got undefined");
                default:
                    return false;
            }
        }
        if (Values.isNumber(l) && Values.isString(r)) {
            r = toNumber(r);
        } else if (Values.isString(l) && Values.isNumber(r)) {
            l = toNumber(l);
        } else if ((l instanceof Boolean || l == Values.JSON_NULL) && Values.isString(r)) {
            l = l.toString();
        } else if (Values.isString(l) && (r instanceof Boolean || r == Values.JSON_NULL)) {
            r = r.toString();
        }
        switch (op) {
            case "=":
                return Values.equal(l, r);
            case "!=":
            case "<>":
                return !Values.equal(l, r);
            case "<":
                return Values.order(l, r) < 0;
            case ">":
                return Values.order(l, r) > 0;
            case "<=":
                return Values.order(l, r) <= 0 || Values.equal(l, r);
            case ">=":
                return Values.order(l, r) >= 0 || Values.equal(l, r);
            case "=~":
                if (!Values.isString(l) || !Values.isString(r)) {
                    throw new RuleEvalException("badarg: =~ needs a topic and a topic filter, got "
                            + Values.describe(l) + " and " + Values.describe(r));
                }
                return Nodes.topicMatch(l, r);
            default:
                throw new IllegalStateException(op);
        }
    }

    /** A string compared with a number is read as an integer, else as a float (binary_to_float). */
    static Object toNumber(Object s) {
        String t = Values.text(s);
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException notInt) {
            if (t.matches("[+-]?[0-9]+\\.[0-9]+([eE][+-]?[0-9]+)?")) {
                return Double.parseDouble(t);
            }
            throw new RuleEvalException("badarg: cannot compare a number with the non-numeric string " + Values.describe(s));
        }
    }
}
