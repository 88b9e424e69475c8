package io.aviary.admin.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.aviary.admin.error.ApiException;
import io.aviary.api.auth.AuthzSettings;
import io.aviary.api.auth.Decision;
import org.junit.Test;

/** EMQX's authorization settings JSON: a PUT changes only the fields it names; bad values name the field. */
public class AuthzSettingsJsonTest {

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    @Test
    public void aPutChangesOnlyTheFieldsItNames() {
        AuthzSettings changed = AuthzSettingsResource.merge(AuthzSettings.DEFAULTS,
                json("{\"deny_action\":\"disconnect\",\"cache\":{\"ttl\":\"30s\"}}"));
        assertEquals(new AuthzSettings(Decision.ALLOW, AuthzSettings.DenyAction.DISCONNECT, true, 32, 30_000), changed);
        assertEquals(1500, AuthzSettingsResource.merge(AuthzSettings.DEFAULTS, json("{\"cache\":{\"ttl\":1500}}"))
                .cacheTtlMs());
    }

    @Test
    public void settingsAreShownInEmqxsShapeWithTheTtlInItsLargestWholeUnit() {
        assertEquals(json("{\"no_match\":\"allow\",\"deny_action\":\"ignore\","
                + "\"cache\":{\"enable\":true,\"max_size\":32,\"ttl\":\"1m\"}}"), AuthzSettingsResource.toJson(AuthzSettings.DEFAULTS));
        assertEquals("90s", AuthzSettingsResource.duration(90_000));
        assertEquals("1500ms", AuthzSettingsResource.duration(1500));
        assertEquals("2h", AuthzSettingsResource.duration(7_200_000));
    }

    @Test
    public void badValuesAreRefusedNamingTheField() {
        String[][] cases = {
            {"{\"no_match\":\"maybe\"}", "'no_match'"},
            {"{\"no_match\":true}", "'no_match'"},
            {"{\"deny_action\":\"kick\"}", "'deny_action'"},
            {"{\"cache\":[]}", "'cache'"},
            {"{\"cache\":{\"enable\":1}}", "'cache.enable'"},
            {"{\"cache\":{\"max_size\":0}}", "'cache.max_size'"},
            {"{\"cache\":{\"max_size\":65536}}", "'cache.max_size'"},
            {"{\"cache\":{\"max_size\":1.5}}", "'cache.max_size'"},
            {"{\"cache\":{\"ttl\":\"soon\"}}", "'cache.ttl'"},
            {"{\"cache\":{\"ttl\":\"0s\"}}", "'cache.ttl'"},
            {"{\"cache\":{\"ttl\":\"25d\"}}", "'cache.ttl'"},
        };
        for (String[] c : cases) {
            ApiException e = assertThrows(c[0], ApiException.class,
                    () -> AuthzSettingsResource.merge(AuthzSettings.DEFAULTS, json(c[0])));
            assertEquals(c[0], 400, e.status());
            assertTrue(c[0] + ": " + e.getMessage(), e.getMessage().contains(c[1]));
        }
    }
}
