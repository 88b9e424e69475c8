package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.json.JsonValues;
import io.aviary.api.rules.RuleEvent;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** EMQX's GET /rule_events: what a rule can select FROM, each with its columns and example values. */
@Path("rule_events")
@Produces(MediaType.APPLICATION_JSON)
public final class RuleEventResource {

    private final Services services;

    public RuleEventResource(Services services) {
        this.services = services;
    }

    @GET
    @ApiDoc(summary = "The event catalogue: event, event_type, title, description, columns, test_columns, sql_example")
    public JsonArray events() {
        JsonArray out = new JsonArray();
        for (RuleEvent e : services.rules().events()) {
            JsonObject o = new JsonObject();
            o.addProperty("event", e.topic() == null ? "$events/message_publish" : e.topic());
            o.addProperty("event_name", e.event());
            o.addProperty("event_type", e.eventType());
            o.add("title", english(e.title()));
            o.add("description", english(e.description()));
            o.add("columns", JsonValues.toJson(e.columnNames()));
            o.add("test_columns", JsonValues.toJson(e.columns()));
            o.addProperty("sql_example", e.sqlExample());
            out.add(o);
        }
        return out;
    }

    private static JsonObject english(String text) {
        JsonObject o = new JsonObject();
        o.addProperty("en", text);
        return o;
    }
}
