package io.aviary.pluginmanager;

import io.aviary.api.plugin.PluginDescriptor;
import io.aviary.api.plugin.PluginHeaders;
import io.aviary.api.plugin.PluginKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import org.osgi.framework.Bundle;

/**
 * Reads a plugin's descriptor from its manifest headers and its JSON Schema from the bundle,
 * without starting it.
 */
final class Descriptors {

    private Descriptors() {
    }

    /** @return null for a bundle that is not a plugin (a client library, say) */
    static PluginDescriptor read(Bundle bundle) {
        Dictionary<String, String> headers = bundle.getHeaders();
        String id = headers.get(PluginHeaders.ID);
        if (id == null || id.isBlank()) {
            return null;
        }
        String kindText = headers.get(PluginHeaders.KIND);
        if (kindText == null) {
            throw new IllegalArgumentException("manifest header " + PluginHeaders.KIND + " is missing");
        }
        PluginKind kind;
        try {
            kind = PluginKind.parse(kindText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("manifest header " + PluginHeaders.KIND + ": expected auth, bridge, storage or protocol, found " + kindText);
        }
        String description = headers.get(PluginHeaders.DESCRIPTION);
        return new PluginDescriptor(id.trim(), kind, bundle.getVersion().toString(),
                description == null ? "" : description, schema(bundle, headers.get(PluginHeaders.SCHEMA)),
                types(headers.get(PluginHeaders.INTEGRATION_TYPES)), trimmed(headers.get(PluginHeaders.AUTHENTICATOR)),
                trimmed(headers.get(PluginHeaders.AUTHZ_SOURCE)));
    }

    private static String trimmed(String header) {
        return header == null || header.isBlank() ? null : header.trim();
    }

    private static java.util.List<String> types(String header) {
        if (header == null || header.isBlank()) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(header.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    private static String schema(Bundle bundle, String path) {
        if (path == null || path.isBlank()) {
            return "{}";
        }
        URL url = bundle.getEntry(path.trim());
        if (url == null) {
            throw new IllegalArgumentException("manifest header " + PluginHeaders.SCHEMA + ": no file " + path + " in the bundle");
        }
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the schema " + path + ": " + e.getMessage());
        }
    }
}
