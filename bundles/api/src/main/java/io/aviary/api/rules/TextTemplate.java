package io.aviary.api.rules;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A parsed template. Rendering follows EMQX: {@code ${.}} is the whole record as JSON, a path walks
 * maps (and JSON text met on the way), maps and arrays render as JSON, and a missing field renders
 * as "undefined". Immutable and thread-safe.
 */
@ProviderType
public interface TextTemplate {

    String source();

    /** The placeholder names in order of appearance ("payload.a", "."). */
    List<String> placeholders();

    /** True when the template has no placeholders. */
    boolean isConstant();

    String render(Map<String, Object> record);

    byte[] renderBytes(Map<String, Object> record);

    /**
     * The value itself when the template is exactly one placeholder (a number stays a Long or Double,
     * a map stays a Map, a missing field is null); otherwise the rendered text.
     */
    Object value(Map<String, Object> record);
}
