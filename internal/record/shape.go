package record

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// mapKeys names the JSON fields whose members are named by users, not by
// the API: their names are recorded as *, so that a record says nothing of
// a number's own headers and two runs with other headers agree.
var mapKeys = map[string]bool{"headers": true}

// Shape describes a body by its JSON keys and types, never its values:
// `{"destinations": [{"headers": {*: string}, "name": string, "url":
// string}], "enabled": boolean}`. Object keys are sorted; an array shows the
// distinct shapes of its elements joined by " | " ([] when empty); a body
// that is not JSON is "empty", "html" or "text".
func Shape(body []byte) string {
	t := bytes.TrimSpace(body)
	switch {
	case len(t) == 0:
		return "empty"
	case !json.Valid(t) && t[0] == '<':
		return "html"
	case !json.Valid(t):
		return "text"
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(t))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "text"
	}
	return shapeOf(v, false)
}

// shapeOf describes one decoded JSON value; userKeys says that an object's
// keys are users' names (see mapKeys).
func shapeOf(v any, userKeys bool) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return arrayShape(x)
	case map[string]any:
		return objectShape(x, userKeys)
	}
	return "unknown"
}

// arrayShape describes an array by the distinct shapes of its elements.
func arrayShape(items []any) string {
	var shapes []string
	for _, item := range items {
		shapes = append(shapes, shapeOf(item, false))
	}
	slices.Sort(shapes)
	return "[" + strings.Join(slices.Compact(shapes), " | ") + "]"
}

// objectShape describes an object by its sorted keys and their shapes, or,
// for a map of users' names, by the distinct shapes of its members under *.
func objectShape(fields map[string]any, userKeys bool) string {
	if userKeys {
		if len(fields) == 0 {
			return "{}"
		}
		var shapes []string
		for _, v := range fields {
			shapes = append(shapes, shapeOf(v, false))
		}
		slices.Sort(shapes)
		return "{*: " + strings.Join(slices.Compact(shapes), " | ") + "}"
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = strconv.Quote(k) + ": " + shapeOf(fields[k], mapKeys[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
