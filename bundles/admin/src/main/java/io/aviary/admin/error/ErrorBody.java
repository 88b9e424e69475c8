package io.aviary.admin.error;

import com.google.gson.JsonObject;
import java.util.Map;

/**
 * The one error shape of the API, {"code": ..., "message": ...}, and the default code for a
 * bare HTTP status. Shared by the Jersey exception mappers and Jetty's error handlers so that
 * every 4xx/5xx, even one Jetty produces before Jersey sees the request, looks the same.
 */
public final class ErrorBody {

    private static final Map<Integer, String> CODES = Map.ofEntries(
            Map.entry(400, "BAD_REQUEST"),
            Map.entry(401, "UNAUTHORIZED"),
            Map.entry(403, "FORBIDDEN"),
            Map.entry(404, "NOT_FOUND"),
            Map.entry(405, "METHOD_NOT_ALLOWED"),
            Map.entry(406, "NOT_ACCEPTABLE"),
            Map.entry(409, "ALREADY_EXISTS"),
            Map.entry(413, "PAYLOAD_TOO_LARGE"),
            Map.entry(414, "URI_TOO_LONG"),
            Map.entry(415, "UNSUPPORTED_MEDIA_TYPE"),
            Map.entry(431, "HEADERS_TOO_LARGE"),
            Map.entry(500, "INTERNAL_ERROR"),
            Map.entry(503, "SERVICE_UNAVAILABLE"));

    private ErrorBody() {
    }

    public static String codeFor(int status) {
        String code = CODES.get(status);
        if (code != null) {
            return code;
        }
        return status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
    }

    public static JsonObject of(String code, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        body.addProperty("message", message == null ? "" : message);
        return body;
    }

    public static JsonObject forStatus(int status, String message) {
        return of(codeFor(status), message);
    }
}
