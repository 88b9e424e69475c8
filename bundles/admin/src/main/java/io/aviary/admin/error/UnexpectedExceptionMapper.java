package io.aviary.admin.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything a resource did not expect becomes a 500 with a JSON body and one log line; the
 * caller sees no stack trace. Exceptions from a service (plugin manager, broker) land here too.
 */
public final class UnexpectedExceptionMapper implements ExceptionMapper<RuntimeException> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(RuntimeException e) {
        LOG.error("admin api: unexpected error: {}", e.toString(), e);
        return Response.status(500)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of("INTERNAL_ERROR", "internal error: " + e.getClass().getSimpleName()))
                .build();
    }
}
