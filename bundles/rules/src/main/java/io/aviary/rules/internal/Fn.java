package io.aviary.rules.internal;

/** A built-in function's implementation: its evaluated arguments in, its value out. */
@FunctionalInterface
public interface Fn {

    Object call(Object[] args, Env env);
}
