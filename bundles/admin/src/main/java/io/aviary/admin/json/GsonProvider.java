package io.aviary.admin.json;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.aviary.admin.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Gson as the API's JSON provider. Requests are read only as {@link JsonObject} (resources
 * then pick fields with {@link JsonFields}, which names a mistyped field precisely); the body
 * is bounded, parsed strictly, and a syntax error becomes a 400 that says where it is.
 * Responses: any object but a String, written with Gson.
 */
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
@Produces(MediaType.APPLICATION_JSON)
public final class GsonProvider implements MessageBodyReader<JsonElement>, MessageBodyWriter<Object> {

    /** Largest request body accepted; a publish payload is the biggest thing anyone sends. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private final Gson gson;

    public GsonProvider(Gson gson) {
        this.gson = gson;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        // Objects for most endpoints, arrays for the bulk ones (EMQX's */bulk take a JSON array).
        return type == JsonObject.class || type == JsonArray.class;
    }

    @Override
    public JsonElement readFrom(Class<JsonElement> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                               MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        String text = readBounded(entityStream);
        if (text.isBlank()) {
            throw ApiException.badRequest("request body is empty: send " + kind(type));
        }
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        JsonElement element;
        try {
            element = gson.getAdapter(JsonElement.class).read(reader);
        } catch (JsonParseException | IOException | IllegalStateException | NumberFormatException e) {
            throw ApiException.badRequest("malformed JSON: " + describe(e));
        }
        if ((Class<?>) type == JsonArray.class ? !element.isJsonArray() : !element.isJsonObject()) {
            throw ApiException.badRequest("request body must be " + kind(type));
        }
        if (!onlyWhitespaceAfter(reader)) {
            throw ApiException.badRequest("malformed JSON: unexpected data after the JSON value at " + reader.getPath());
        }
        return element;
    }

    private static String kind(Class<?> type) {
        return type == JsonArray.class ? "a JSON array" : "a JSON object";
    }

    private static String readBounded(InputStream entityStream) throws IOException {
        try {
            return new String(new BoundedInputStream(entityStream, MAX_BODY_BYTES).readAllBytes(), StandardCharsets.UTF_8);
        } catch (BoundedInputStream.TooLargeException e) {
            drain(entityStream);
            throw ApiException.badRequest("request body: larger than the " + MAX_BODY_BYTES + "-byte limit of a JSON body");
        }
    }

    /** The most of a refused body read and dropped, so that its sender reads the 400 rather than a reset. */
    private static final long DRAIN_MAX = 16L * 1024 * 1024;

    /** Answering while the client still sends closes the connection on unread bytes; bounded, so it costs no memory. */
    private static void drain(InputStream entityStream) {
        byte[] sink = new byte[16 * 1024];
        try {
            for (long read = 0; read < DRAIN_MAX; ) {
                int n = entityStream.read(sink);
                if (n < 0) {
                    return;
                }
                read += n;
            }
        } catch (IOException gone) {
            // the client went away: nothing more to read
        }
    }

    /** Strict mode refuses a second top-level value by throwing, so any exception means "more data". */
    private static boolean onlyWhitespaceAfter(JsonReader reader) {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // Gson appends a troubleshooting URL; callers need only the first sentence.
        int hint = message.indexOf("\nSee https://");
        String text = hint > 0 ? message.substring(0, hint) : message;
        // Strict mode words every syntax error as advice to turn strictness off; say what it is.
        return text.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "syntax error");
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        // Strings are already documents (e.g. the OpenAPI file): Jersey's own writer sends them as they are.
        return type != String.class && (mediaType == null || MediaType.APPLICATION_JSON_TYPE.isCompatible(mediaType));
    }

    @Override
    public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        Writer writer = new OutputStreamWriter(entityStream, StandardCharsets.UTF_8);
        if (value instanceof JsonElement) {
            gson.toJson((JsonElement) value, writer);
        } else {
            gson.toJson(value, writer);
        }
        writer.flush();
    }
}
