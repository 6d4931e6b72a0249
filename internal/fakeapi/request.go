package fakeapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// basePath is the path of the multi webhook endpoint.
const basePath = "/multi_webhook"

// maxBodyBytes bounds the request bodies the fake reads.
const maxBodyBytes = 1 << 20

// route is the endpoint a request is addressed to.
type route struct {
	name string // DELETE /multi_webhook/{name}: the unescaped name
}

// apiRequest is one API call, parsed and validated as far as possible
// without looking at any state.
type apiRequest struct {
	method  string
	name    string        // DELETE: the destination to remove
	enabled bool          // POST
	dests   []Destination // POST and PUT
	patch   Destination   // PATCH
	invalid *response     // the 400 answer when the body is invalid
}

// parseRoute maps r to an endpoint, or returns the 404 or 405 answer. The
// name of DELETE /multi_webhook/{name} is taken from the escaped path, so
// that names containing "/" (sent as %2F), "%" or spaces round-trip exactly;
// an unescaped "/" in it is not a route.
func parseRoute(r *http.Request) (route, *response) {
	path := r.URL.EscapedPath()
	if path == basePath {
		switch r.Method {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch:
			return route{}, nil
		}
		return route{}, methodNotAllowed(r.Method, "GET, POST, PUT, PATCH")
	}
	raw, ok := strings.CutPrefix(path, basePath+"/")
	if !ok || raw == "" || strings.Contains(raw, "/") {
		return route{}, errorResponse(http.StatusNotFound, "Not found: "+path)
	}
	name, err := url.PathUnescape(raw)
	if err != nil {
		return route{}, errorResponse(http.StatusNotFound, "Not found: "+path)
	}
	if r.Method != http.MethodDelete {
		return route{}, methodNotAllowed(r.Method, "DELETE")
	}
	return route{name: name}, nil
}

// methodNotAllowed is the 405 answer for method; allow lists what is
// allowed.
func methodNotAllowed(method, allow string) *response {
	resp := errorResponse(http.StatusMethodNotAllowed, fmt.Sprintf("Method %s not allowed, use %s", method, allow))
	resp.allow = allow
	return resp
}

// parseRequest reads and validates the body of r, addressed to rt.
func parseRequest(r *http.Request, rt route) apiRequest {
	req := apiRequest{method: r.Method, name: rt.name}
	if r.Method == http.MethodGet || r.Method == http.MethodDelete {
		return req
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	switch {
	case err != nil:
		req.invalid = invalidJSON(fmt.Errorf("cannot read body: %w", err))
	case len(body) > maxBodyBytes:
		req.invalid = invalidJSON(fmt.Errorf("body is larger than %d bytes", maxBodyBytes))
	default:
		req.invalid = req.decode(body)
	}
	return req
}

// decode fills req from the JSON body of a POST, PUT or PATCH.
func (req *apiRequest) decode(body []byte) *response {
	switch req.method {
	case http.MethodPost:
		return req.decodePost(body)
	case http.MethodPut:
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
