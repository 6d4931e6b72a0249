package fakeapi

import (
	"encoding/json"
	"fmt"
	"time"
)

// jsonNull encodes as null where omitempty would drop a nil interface.
var jsonNull = json.RawMessage("null")

// shownConfig is the body of GET /multi_webhook that is not the disabled
// message. Destinations is what showDestinationsLocked returns: a nil
// interface leaves the key out.
type shownConfig struct {
	Enabled      bool `json:"enabled"`
	Destinations any  `json:"destinations,omitempty"`
}

// shownDestination is a destination as GET /multi_webhook shows it.
// Headers is what showHeaders returns: a nil interface leaves the key out.
type shownDestination struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	Headers any    `json:"headers,omitempty"`
}

// webhookURL is the body {"url": ...}: the answer to POST
// /v1/configs/webhook, and a GET that shows no headers.
type webhookURL struct {
	URL string `json:"url"`
}

// getLocked answers GET /multi_webhook from the settled state, as
// Options.DisabledBody, EmptyDestinations, NoHeaders and ShuffleOrder say.
func (s *Server) getLocked(n *number) response {
	st := n.settled
	if st.enabled {
		return response{status: 200, body: shownConfig{Enabled: true, Destinations: s.showDestinationsLocked(st.dests)}}
	}
	switch s.opts.DisabledBody {
	case DisabledBodyEnabledFalse:
		return response{status: s.opts.DisabledStatus, body: shownConfig{}}
	case DisabledBodyEnabledFalseListed:
		return response{status: s.opts.DisabledStatus, body: shownConfig{Destinations: s.showDestinationsLocked(st.dests)}}
	}
	return *messageResponse(s.opts.DisabledStatus, MessageDisabled)
}

// showDestinationsLocked is the "destinations" value of a GET answer
// listing dests, in a random order with Options.ShuffleOrder.
func (s *Server) showDestinationsLocked(dests []Destination) any {
	if len(dests) == 0 {
		switch s.opts.EmptyDestinations {
		case EmptyDestinationsNull:
			return jsonNull
		case EmptyDestinationsOmitted:
			return nil
		}
		return []shownDestination{}
	}
	out := make([]shownDestination, len(dests))
	for i, d := range cloneDestinations(dests) {
		out[i] = shownDestination{Name: d.Name, URL: d.URL, Headers: showHeaders(d.Headers, s.opts.NoHeaders)}
	}
	if s.opts.ShuffleOrder {
		s.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	return out
}

// showHeaders is the "headers" value of a destination holding headers:
// the map itself, or when it is empty what shape says.
func showHeaders(headers map[string]string, shape NoHeaders) any {
	if len(headers) > 0 {
		return headers
	}
	switch shape {
	case NoHeadersNull:
		return jsonNull
	case NoHeadersOmitted:
		return nil
	}
	return map[string]string{}
}

// dressLocked applies the options that shape every answer of the API,
// whatever produced it: the status of a refusal, the Content-Type and the
// extra fields.
func (s *Server) dressLocked(resp response) response {
	if resp.refusal {
		resp.status = s.opts.RefusalStatus
	}
	resp.contentType = *s.opts.ContentType
	if s.opts.ExtraFields && resp.html == "" && resp.body != nil {
		s.answers++
		resp.body = withExtraFields(encodeJSON(resp.body), fmt.Sprintf("req_%d", s.answers), s.now())
	}
	return resp
}

// withExtraFields adds "id" and "updated_at", fields the documentation
// does not list, to the JSON object body (id as given) and to each object
// of its "destinations" array (an id derived from the destination's name).
// A body that is not an object comes back as it is.
func withExtraFields(body []byte, id string, now time.Time) json.RawMessage {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil || obj == nil {
		return body
	}
	stamp := now.UTC().Format(time.RFC3339)
	addExtraFields(obj, id, stamp)
	var dests []map[string]json.RawMessage
	if raw, ok := obj["destinations"]; ok && json.Unmarshal(raw, &dests) == nil && dests != nil {
		for _, d := range dests {
			var name string
			if d != nil && json.Unmarshal(d["name"], &name) == nil {
				addExtraFields(d, "dst_"+Fingerprint(name), stamp)
			}
		}
		obj["destinations"] = encodeJSON(dests)
	}
	return encodeJSON(obj)
}

// addExtraFields sets "id" and "updated_at" in obj, unless it has them.
func addExtraFields(obj map[string]json.RawMessage, id, stamp string) {
	for k, v := range map[string]string{"id": id, "updated_at": stamp} {
		if _, taken := obj[k]; !taken {
			obj[k] = encodeJSON(v)
		}
	}
}
