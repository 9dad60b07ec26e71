package dev.stepmem.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The fields of one table of a profile file, with the checks every field needs; problems name the file and field. */
record TomlFields(String file, JsonNode node, String prefix) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    /** A profile's id: lower case letters, digits, '.', '-', '_'. */
    String id(String field) {
        String id = string(field);
        if (!ID.matcher(id).matches()) {
            throw new ProfileException(file, prefix + field, "'" + id + "' must be lower case letters, digits, '.', '-' or '_'");
        }
        return id;
    }

    /** This [sources] table's entry for each field, none blank. */
    Map<String, String> sources(List<String> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String field : fields) {
            String source = string(field);
            if (source.isBlank()) {
                throw new ProfileException(file, prefix + field, "must say where the number comes from");
            }
            out.put(field, source);
        }
        return out;
    }
    void rejectUnknown(List<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                throw new ProfileException(file, prefix + field, "unknown field (known: " + String.join(", ", known) + ")");
            }
        }
    }

    JsonNode required(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ProfileException(file, prefix + field, "missing");
        }
        return v;
    }

    String string(String field) {
        JsonNode v = required(field);
        if (!v.isTextual()) {
            throw new ProfileException(file, prefix + field, "must be a string in quotes, got " + v);
        }
        return v.asText();
    }

    double quantity(String field, Map<String, Double> units, String what) {
        try {
            return Units.parse(string(field), units, what);
        } catch (ProfileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ProfileException(file, prefix + field, e.getMessage());
        }
    }

    double positive(String field, Map<String, Double> units, String what) {
        double v = quantity(field, units, what);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ProfileException(file, prefix + field, "must be positive, got '" + string(field) + "'");
        }
        return v;
    }

    double fraction(String field) {
        JsonNode v = required(field);
        if (!v.isNumber()) {
            throw new ProfileException(file, prefix + field, "must be a number in (0, 1], got " + v);
        }
        double d = v.asDouble();
        if (!(d > 0 && d <= 1)) {
            throw new ProfileException(file, prefix + field, "must be in (0, 1], got " + d);
        }
        return d;
    }

    TomlFields table(String field) {
        JsonNode v = required(field);
        if (!v.isObject()) {
            throw new ProfileException(file, prefix + field, "must be a table ([" + field + "])");
        }
        return new TomlFields(file, v, prefix + field + ".");
    }
}
