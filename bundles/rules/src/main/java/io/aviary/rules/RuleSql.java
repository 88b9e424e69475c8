package io.aviary.rules;

import io.aviary.rules.internal.Compiler;

/**
 * The entry point of the rule language: compiles EMQX 5 rule SQL once, when a rule is created,
 * into a {@link CompiledRule} that then runs on every matching message. See docs/rules.md for
 * the language and its functions.
 */
public final class RuleSql {

    private RuleSql() {}

    /**
     * Compiles rule SQL.
     *
     * @throws RuleSqlException with the line, the column and what was expected, when the SQL
     *     does not parse, calls an unknown function or a function with a wrong number of
     *     arguments, names an unknown $events topic or an invalid topic filter
     */
    public static CompiledRule compile(String sql) throws RuleSqlException {
        return new CompiledRule(sql, Compiler.compile(sql));
    }
}
