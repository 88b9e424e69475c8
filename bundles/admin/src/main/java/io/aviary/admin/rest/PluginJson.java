package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.json.JsonValues;
import io.aviary.api.plugin.PluginDescriptor;
import io.aviary.api.plugin.PluginInstance;
import io.aviary.api.plugin.PluginStatus;
import java.util.Locale;

/** The JSON shapes of plugin catalogue entries and plugin instances. */
final class PluginJson {

    private PluginJson() {
    }

    static JsonObject status(PluginStatus s) {
        PluginDescriptor d = s.descriptor();
        JsonObject o = new JsonObject();
        o.addProperty("name", s.name());
        o.addProperty("id", d == null ? null : d.id());
        o.addProperty("kind", d == null || d.kind() == null ? null : lower(d.kind().name()));
        o.addProperty("version", d != null && d.version() != null ? d.version() : s.bundleVersion());
        o.addProperty("description", d == null ? null : d.description());
        if (d != null && !d.integrationTypes().isEmpty()) {
            com.google.gson.JsonArray types = new com.google.gson.JsonArray();
            d.integrationTypes().forEach(types::add);
            o.add("integration_types", types);
        }
        o.addProperty("file", s.file());
        o.addProperty("state", s.state() == null ? null : lower(s.state().name()));
        o.addProperty("instances", s.instances());
        o.addProperty("error", s.error());
        return o;
    }

    static JsonObject instance(PluginInstance i) {
        JsonObject o = new JsonObject();
        o.addProperty("id", i.id());
        o.addProperty("plugin", i.pluginId());
        o.addProperty("tenant", i.tenant());
        o.add("config", JsonValues.toJson(i.config()));
        return o;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
