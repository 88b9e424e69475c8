package io.aviary.api.rules;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** An SQL statement with its placeholders turned into bound parameters. Immutable and thread-safe. */
@ProviderType
public interface SqlTemplate {

    /** The statement with a {@code ?} for every placeholder, ready for a PreparedStatement. */
    String statement();

    /** The placeholder names, one per {@code ?}, in order. */
    List<String> placeholders();

    /**
     * The parameter values for one record, one per {@code ?}: a Long, Double, Boolean or String as
     * the field holds it, a Map or List as JSON text, a missing field as null (SQL NULL).
     */
    List<Object> parameters(Map<String, Object> record);
}
