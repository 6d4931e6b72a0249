package fakeapi

import (
	"fmt"
	"net/http"
	"slices"
)

// plan checks a request against target, the state it will apply to, and
// returns the change to queue, or the answer rejecting it.
func plan(req apiRequest, target numState, clearOnDisable bool) (func(*numState), *response) {
	switch req.method {
	case http.MethodPost:
		return planPost(req, target, clearOnDisable)
	case http.MethodPut:
		return planPut(req.dests, target)
	case http.MethodPatch:
		return planPatch(req.patch, target)
	default: // http.MethodDelete; parseRoute allows nothing else here.
		return planDelete(req.name, target)
	}
}

// planPost enables or disables the feature. Enabling appends the request's
// destinations, which must fit next to those already there, hidden ones
// included.
func planPost(req apiRequest, target numState, clearOnDisable bool) (func(*numState), *response) {
	if !req.enabled {
		return func(st *numState) {
			st.enabled = false
			if clearOnDisable {
				st.dests = nil
			}
		}, nil
	}
	if rejected := checkAppend(req.dests, target); rejected != nil {
		return nil, rejected
	}
	dests := cloneDestinations(req.dests)
	return func(st *numState) {
		st.enabled = true
		st.dests = append(st.dests, cloneDestinations(dests)...)
	}, nil
}

// planPut appends destinations to an enabled number.
func planPut(dests []Destination, target numState) (func(*numState), *response) {
	if !target.enabled {
		return nil, disabledResponse()
	}
	if rejected := checkAppend(dests, target); rejected != nil {
		return nil, rejected
	}
	dests = cloneDestinations(dests)
	return func(st *numState) {
		st.dests = append(st.dests, cloneDestinations(dests)...)
	}, nil
}

// planPatch replaces the url and headers of an existing destination.
func planPatch(d Destination, target numState) (func(*numState), *response) {
	if !target.enabled {
		return nil, disabledResponse()
	}
	if target.index(d.Name) < 0 {
		return nil, notFoundResponse(d.Name)
	}
	d = cloneDestination(d)
	return func(st *numState) {
		if i := st.index(d.Name); i >= 0 {
			st.dests[i] = cloneDestination(d)
		}
	}, nil
}

// planDelete removes an existing destination.
func planDelete(name string, target numState) (func(*numState), *response) {
	if !target.enabled {
		return nil, disabledResponse()
	}
	if target.index(name) < 0 {
		return nil, notFoundResponse(name)
	}
	return func(st *numState) {
		if i := st.index(name); i >= 0 {
			st.dests = slices.Delete(st.dests, i, i+1)
		}
	}, nil
}

// checkAppend rejects destinations whose names are taken in target, or that
// would take target beyond MaxDestinations. Duplicates inside the request
// were rejected when it was parsed.
func checkAppend(dests []Destination, target numState) *response {
	for _, d := range dests {
		if target.index(d.Name) >= 0 {
			return errorResponse(http.StatusBadRequest, fmt.Sprintf("Destination with name %s already exists", d.Name))
		}
	}
	if len(target.dests)+len(dests) > MaxDestinations {
		return errorResponse(http.StatusBadRequest, ErrorTooManyDestinations)
	}
	return nil
}

// disabledResponse is the answer to PUT, PATCH and DELETE while the feature
// is disabled.
func disabledResponse() *response {
	return messageResponse(http.StatusConflict, MessageDisabled)
}

// notFoundResponse is the answer to PATCH and DELETE of an unknown name. The
// documentation has no text for it; the fake mirrors "already exists".
func notFoundResponse(name string) *response {
	return errorResponse(http.StatusNotFound, fmt.Sprintf("Destination with name %s not found", name))
}
