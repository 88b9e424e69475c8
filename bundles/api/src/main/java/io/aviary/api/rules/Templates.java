package io.aviary.api.rules;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The rule engine's templates as a service, for actions in other bundles (data integration sinks):
 * {@code "${clientid}/temp"}, {@code "${payload.a.b}"}, {@code "${.}"}, rendered as EMQX renders
 * them. Parse once when an action is created, render per record.
 */
@ProviderType
public interface Templates {

    /** @throws IllegalArgumentException when the text is not a template */
    TextTemplate text(String template);

    /**
     * An SQL statement whose {@code ${...}} placeholders become bound parameters ({@code ?}), in
     * order, never spliced text: {@code insert into t(a, b) values (${clientid}, ${payload.x})}.
     * A placeholder inside a quoted literal ({@code '${x}'}) is a parameter too, as in EMQX.
     *
     * @throws IllegalArgumentException when the statement has no placeholders where it needs them
     *     or is not a template
     */
    SqlTemplate sql(String statement);
}
