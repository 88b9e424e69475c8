package io.aviary.admin.error;

import jakarta.ws.rs.WebApplicationException;

/**
 * An error the API reports to its caller as EMQX does: an HTTP status plus a JSON body
 * {"code": "...", "message": "..."}. Thrown anywhere below a resource method (body parsing,
 * validation, authentication) and turned into a response by {@link ApiExceptionMapper}.
 * It extends WebApplicationException so Jersey routes it to the mapper even when it is thrown
 * from a MessageBodyReader or a filter.
 */
public final class ApiException extends WebApplicationException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, status);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BAD_REQUEST", message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "SERVICE_UNAVAILABLE", message);
    }

    public static ApiException unauthorized(String code, String message) {
        return new ApiException(401, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
