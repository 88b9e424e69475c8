package io.aviary.admin.rest;

import io.aviary.admin.error.ApiException;

/** Query parameters parsed with errors that name the parameter. */
final class QueryParams {

    private QueryParams() {
    }

    static int integer(String name, String text, int fallback, int min, int max) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("query parameter '" + name + "' must be an integer from " + min + " to " + max);
    }
}
