package io.aviary.rules.internal;

import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * EMQX's math functions. As in Erlang, ceil/floor/round give integers, the others floats, abs
 * takes only integers, and a result outside the function's domain (log(0), sqrt(-1)) is an
 * error (badarith), never NaN.
 */
final class MathFunctions {

    private MathFunctions() {}

    static void register() {
        // EMQX's code takes integers only, its documentation floats too (abs(-1.2) = 1.2): both work
        Functions.register("abs", 1, (a, env) -> Values.isFloat(a[0])
                ? (Object) Math.abs(((Number) a[0]).doubleValue()) : (Object) Math.abs(Args.integer("abs", a, 0)));
        unary("acos", Math::acos);
        unary("acosh", x -> Math.log(x + Math.sqrt(x * x - 1)));
        unary("asin", Math::asin);
        unary("asinh", x -> Math.log(x + Math.sqrt(x * x + 1)));
        unary("atan", Math::atan);
        unary("atanh", x -> 0.5 * Math.log((1 + x) / (1 - x)));
        unary("cos", Math::cos);
        unary("cosh", Math::cosh);
        unary("exp", Math::exp);
        unary("log", Math::log);
        unary("log10", Math::log10);
        unary("log2", x -> Math.log(x) / Math.log(2));
        unary("sin", Math::sin);
        unary("sinh", Math::sinh);
        unary("sqrt", Math::sqrt);
        unary("tan", Math::tan);
        unary("tanh", Math::tanh);
        Functions.register("ceil", 1, (a, env) -> toInteger("ceil", a, Math::ceil));
        Functions.register("floor", 1, (a, env) -> toInteger("floor", a, Math::floor));
        // erlang:round rounds half away from zero
        Functions.register("round", 1, (a, env) -> toInteger("round", a, x -> Math.signum(x) * Math.floor(Math.abs(x) + 0.5)));
        Functions.register("fmod", 2, (a, env) -> checked("fmod", a,
                Args.number("fmod", a, 0) % Args.number("fmod", a, 1)));
        Functions.register("power", 2, (a, env) -> checked("power", a,
                Math.pow(Args.number("power", a, 0), Args.number("power", a, 1))));
        Functions.register("mod", 2, (a, env) -> Ops.arith('m', a[0], a[1]));
        Functions.register("div", 2, (a, env) -> Ops.arith('d', a[0], a[1]));
        Functions.register("eq", 2, (a, env) -> Values.equal(a[0], a[1]));
        Functions.register("random", 0, (a, env) -> ThreadLocalRandom.current().nextDouble());
    }

    private static void unary(String name, DoubleUnaryOperator f) {
        Functions.register(name, 1, (a, env) -> checked(name, a, f.applyAsDouble(Args.number(name, a, 0))));
    }

    private static Object toInteger(String name, Object[] a, DoubleUnaryOperator f) {
        if (Values.isInt(a[0])) {
            return ((Number) a[0]).longValue();
        }
        return (long) f.applyAsDouble(Args.number(name, a, 0));
    }

    private static double checked(String name, Object[] a, double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            throw new RuleEvalException("badarith: " + name + "(" + Nodes.describeArgs(a) + ") has no finite result");
        }
        return r;
    }
}
