package io.aviary.rules.internal;

/** A compiled expression: evaluated once per message, allocation-light, thread-safe (no state). */
public interface Expr {

    Object eval(Env env);
}
