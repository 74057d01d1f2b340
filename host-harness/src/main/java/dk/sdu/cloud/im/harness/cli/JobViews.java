package dk.sdu.cloud.im.harness.cli;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The harness's job view ({@code /harness/jobs}) as text for people. */
final class JobViews {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;

    JobViews(ZoneId zone) {
        this.zone = zone;
    }

    /** {@code GET /harness/jobs}: one line per job. */
    String list(JsonNode listing, String where) {
        JsonNode jobs = listing.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) {
            return "No jobs are recorded at " + where + "." + System.lineSeparator();
        }
        TextTable table = new TextTable("ID", "STATE", "UPDATED", "LAST MESSAGE");
        for (JsonNode job : jobs) {
            table.row(text(job, "id"), text(job, "state"), time(job.path("updatedAt")), text(job, "status"));
        }
        return table.render("");
    }

    /** {@code GET /harness/jobs/{id}}: the job, then every update. */
    String show(JsonNode view) {
        StringBuilder out = new StringBuilder();
        String nl = System.lineSeparator();
        out.append("Job ").append(text(view, "id")).append(nl);
        JsonNode job = view.path("job");
        if (job.isMissingNode()) {
            out.append("  (never submitted to this IM; only updates from a backend are recorded)").append(nl);
        } else {
            field(out, "State", text(view, "state"));
            field(out, "Name", text(job.path("specification"), "name"));
            JsonNode product = job.path("specification").path("product");
            field(out, "Product", text(product, "id") + " (category " + text(product, "category") + ", provider "
                    + text(product, "provider") + ")");
            field(out, "Application", application(job));
            JsonNode owner = job.path("owner");
            field(out, "Owner", text(owner, "createdBy") + (owner.path("project").isString()
                    ? " in project " + owner.path("project").asString() : ""));
            field(out, "Created", time(view.path("createdAt")));
            field(out, "Updated", time(view.path("updatedAt")));
            if (view.path("status").isString()) {
                field(out, "Last message", view.path("status").asString());
            }
        }
        JsonNode updates = view.path("updates");
        out.append("Updates (").append(updates.size()).append("):").append(nl);
        if (updates.isEmpty()) {
            out.append("  none yet").append(nl);
            return out.toString();
        }
        TextTable table = new TextTable("#", "TIME", "STATE", "MESSAGE");
        for (JsonNode update : updates) {
            table.row(text(update, "sequence"), time(update.path("timestamp")),
                    update.path("state").isString() ? update.path("state").asString() : "-", text(update, "status"));
        }
        out.append(table.render("  "));
        return out.toString();
    }

    private static String application(JsonNode job) {
        JsonNode app = job.path("specification").path("application");
        String title = job.path("status").path("resolvedApplication").path("metadata").path("title").asString("");
        String backend = job.path("status").path("resolvedApplication").path("invocation").path("tool").path("tool")
                .path("description").path("backend").asString("");
        return text(app, "name") + " " + text(app, "version") + (title.isEmpty() ? "" : " (" + title + ")")
                + (backend.isEmpty() ? "" : ", tool backend " + backend);
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append("  ").append(name).append(':').append(" ".repeat(Math.max(1, 13 - name.length())))
                .append(value).append(System.lineSeparator());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asString() : "";
    }

    private String time(JsonNode millis) {
        return millis.canConvertToLong() && millis.isNumber()
                ? TIME.format(Instant.ofEpochMilli(millis.asLong()).atZone(zone)) : "";
    }
}
