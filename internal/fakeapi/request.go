package fakeapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxBodyBytes bounds the request bodies the fake reads.
const maxBodyBytes = 1 << 20

// route is the endpoint a request is addressed to.
type route struct {
	endpoint string // PathMultiWebhook or PathWebhook
	name     string // DELETE /multi_webhook/{name}: the unescaped name
}

// apiRequest is one API call, parsed and validated as far as possible
// without looking at any state.
type apiRequest struct {
	method   string
	endpoint string        // PathMultiWebhook or PathWebhook
	name     string        // DELETE: the destination to remove
	enabled  bool          // POST /multi_webhook
	dests    []Destination // POST and PUT /multi_webhook
	patch    Destination   // PATCH
	hook     webhookChange // POST /v1/configs/webhook
	invalid  *response     // the refusal when the body is invalid
}

// failure is an error answer of endpoint, in its shape: {"meta": {...}} for
// the primary webhook, {"error": ...} for everything else.
func failure(endpoint string, status int, text string) *response {
	if endpoint == PathWebhook {
		return metaResponse(status, text)
	}
	return errorResponse(status, text)
}

// parseRoute maps r to an endpoint, or returns the 404 or 405 answer. The
// name of DELETE /multi_webhook/{name} is taken from the escaped path, so
// that names containing "/" (sent as %2F), "%" or spaces round-trip exactly;
// an unescaped "/" in it is not a route.
func parseRoute(r *http.Request) (route, *response) {
	path := r.URL.EscapedPath()
	switch path {
	case PathWebhook:
		if r.Method == http.MethodGet || r.Method == http.MethodPost {
			return route{endpoint: PathWebhook}, nil
		}
		return route{}, methodNotAllowed(PathWebhook, r.Method, "GET, POST")
	case PathMultiWebhook:
		switch r.Method {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch:
			return route{endpoint: PathMultiWebhook}, nil
		}
		return route{}, methodNotAllowed(PathMultiWebhook, r.Method, "GET, POST, PUT, PATCH")
	}
	raw, ok := strings.CutPrefix(path, PathMultiWebhook+"/")
	if !ok || raw == "" || strings.Contains(raw, "/") {
		return route{}, errorResponse(http.StatusNotFound, "Not found: "+path)
	}
	name, err := url.PathUnescape(raw)
	if err != nil {
		return route{}, errorResponse(http.StatusNotFound, "Not found: "+path)
	}
	if r.Method != http.MethodDelete {
		return route{}, methodNotAllowed(PathMultiWebhook, r.Method, "DELETE")
	}
	return route{endpoint: PathMultiWebhook, name: name}, nil
}

// methodNotAllowed is the 405 answer of endpoint for method; allow lists
// what is allowed.
func methodNotAllowed(endpoint, method, allow string) *response {
	resp := failure(endpoint, http.StatusMethodNotAllowed, fmt.Sprintf("Method %s not allowed, use %s", method, allow))
	resp.allow = allow
	return resp
}

// parseRequest reads and validates the body of r, addressed to rt.
func parseRequest(r *http.Request, rt route) apiRequest {
	req := apiRequest{method: r.Method, endpoint: rt.endpoint, name: rt.name}
	if r.Method == http.MethodGet || r.Method == http.MethodDelete {
		return req
	}
	body, err := readBody(r)
	switch {
	case err != nil && rt.endpoint == PathWebhook:
		req.invalid = metaResponse(http.StatusBadRequest, invalidJSONText(err))
		return req
	case err != nil:
		req.invalid = invalidJSON(err)
		return req
	}
	req.invalid = req.decode(body)
	return req
}

// readBody reads the body of r, refusing one above maxBodyBytes.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("cannot read body: %w", err)
	case len(body) > maxBodyBytes:
		return nil, fmt.Errorf("body is larger than %d bytes", maxBodyBytes)
	}
	return body, nil
}

// decode fills req from the JSON body of a POST, PUT or PATCH.
func (req *apiRequest) decode(body []byte) *response {
	var rejected *response
	switch {
	case req.endpoint == PathWebhook:
		req.hook, rejected = decodeWebhookBody(body)
		return rejected
	case req.method == http.MethodPost:
		return req.decodePost(body)
	case req.method == http.MethodPut:
		return req.decodePut(body)
	default: // http.MethodPatch
		return req.decodePatch(body)
	}
}

// decodePost decodes {"enabled": bool, "destinations": [...]?}.
func (req *apiRequest) decodePost(body []byte) *response {
	obj, err := decodeObject(body, "", "enabled", "destinations")
	if err != nil {
		return invalidJSON(err)
	}
	if req.enabled, err = decodeBool(obj, "", "enabled"); err != nil {
		return invalidJSON(err)
	}
	if req.dests, err = decodeDestinations(obj, false); err != nil {
		return invalidJSON(err)
	}
	if !req.enabled && len(req.dests) > 0 {
		return invalidJSON(errors.New(`field "destinations" is not allowed when "enabled" is false`))
	}
	return checkDestinations(req.dests)
}

// decodePut decodes {"destinations": [...]}.
func (req *apiRequest) decodePut(body []byte) *response {
	obj, err := decodeObject(body, "", "destinations")
	if err != nil {
		return invalidJSON(err)
	}
	if req.dests, err = decodeDestinations(obj, true); err != nil {
		return invalidJSON(err)
	}
	return checkDestinations(req.dests)
}

// decodePatch decodes {"name", "url", "headers"}.
func (req *apiRequest) decodePatch(body []byte) *response {
	d, err := decodeDestination(body, "")
	if err != nil {
		return invalidJSON(err)
	}
	req.patch = d
	return checkDestination(d)
}
