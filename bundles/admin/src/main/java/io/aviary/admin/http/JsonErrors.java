package io.aviary.admin.http;

import com.google.gson.Gson;
import io.aviary.admin.error.ErrorBody;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty itself produces (malformed requests, headers too large, a servlet error
 * outside Jersey) in the API's JSON shape instead of Jetty's HTML page. One handler for the
 * server, one for the servlet context, both writing {"code", "message"} and nothing else:
 * no stack traces, no server details.
 */
final class JsonErrors {

    private static final Gson GSON = new Gson();

    private JsonErrors() {
    }

    static String body(int status, String message) {
        String text = message == null || message.isEmpty() ? HttpStatus.getMessage(status) : message;
        return GSON.toJson(ErrorBody.forStatus(status, text));
    }

    /** For the server and any request that never reached the servlet context. */
    static final class ServerHandler extends org.eclipse.jetty.server.handler.ErrorHandler {

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                     String contentType, List<java.nio.charset.Charset> charsets,
                                                     int code, String message, Throwable cause)
                throws java.io.IOException {
            return super.generateAcceptableResponse(request, response, callback, "application/json",
                    List.of(StandardCharsets.UTF_8), code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code, message));
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(body(status, reason).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** For the servlet context that hosts Jersey. */
    static final class ContextHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                     String contentType, List<java.nio.charset.Charset> charsets,
                                                     int code, String message, Throwable cause)
                throws java.io.IOException {
            return super.generateAcceptableResponse(request, response, callback, "application/json",
                    List.of(StandardCharsets.UTF_8), code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code, message));
        }
    }
}
