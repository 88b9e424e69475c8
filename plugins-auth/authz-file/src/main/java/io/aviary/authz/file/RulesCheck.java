package io.aviary.authz.file;

import io.aviary.api.plugin.ConfigCheck;
import java.util.Map;

/**
 * The platform's check of an authz-file instance before it is stored: inline {@code rules} must
 * parse, so a typo is a 400 naming the line instead of a tenant whose rules silently never load.
 * (Rules in a {@code path} file are checked when read; a bad file keeps the previous rules.)
 */
public final class RulesCheck implements ConfigCheck {

    @Override
    public void check(Map<String, Object> config) {
        Object rules = config.get("rules");
        if (rules instanceof String text) {
            try {
                AclRules.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rules: " + e.getMessage(), e);
            }
        }
    }
}
