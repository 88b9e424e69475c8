package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * EMQX's paged list answer, {data: [...], meta: {count, limit, page, hasnext}}, for every
 * endpoint that lists; page and limit are checked here so each endpoint names them the same way.
 */
final class Page {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final int page;
    private final int limit;

    private Page(int page, int limit) {
        this.page = page;
        this.limit = limit;
    }

    static Page of(String pageParam, String limitParam) {
        return new Page(QueryParams.integer("page", pageParam, 1, 1, Integer.MAX_VALUE),
                QueryParams.integer("limit", limitParam, DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    <T> JsonObject answer(List<T> all, Function<T, JsonElement> json) {
        long from = (long) (page - 1) * limit;
        JsonArray data = new JsonArray();
        for (long i = from; i < Math.min(all.size(), from + limit); i++) {
            data.add(json.apply(all.get((int) i)));
        }
        JsonObject meta = new JsonObject();
        meta.addProperty("count", all.size());
        meta.addProperty("limit", limit);
        meta.addProperty("page", page);
        meta.addProperty("hasnext", from + limit < all.size());
        JsonObject result = new JsonObject();
        result.add("data", data);
        result.add("meta", meta);
        return result;
    }
}
