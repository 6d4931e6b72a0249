package fakeapi

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
)

// planner checks a change of the multi webhook against target, the state
// it will apply to, under the options that decide the open questions.
type planner struct {
	target numState
	opts   *Options
}

// plan checks a request against target and returns the change to queue,
// or the answer rejecting it.
func plan(req apiRequest, target numState, opts *Options) (func(*numState), *response) {
	p := planner{target: target, opts: opts}
	switch req.method {
	case http.MethodPost:
		return p.post(req)
	case http.MethodPut:
		return p.put(req.dests)
	case http.MethodPatch:
		return p.patch(req.patch)
	default: // http.MethodDelete; parseRoute allows nothing else here.
		return p.remove(req.name)
	}
}

// post enables or disables the feature. Enabling appends the request's
// destinations (see additions); one that carries some is refused when the
// feature is already on and Options.EnableWhileEnabled says so.
func (p planner) post(req apiRequest) (func(*numState), *response) {
	if !req.enabled {
		clearDests := p.opts.ClearOnDisable
		return func(st *numState) {
			st.enabled = false
			if clearDests {
				st.dests = nil
			}
		}, nil
	}
	if p.target.enabled && len(req.dests) > 0 && p.opts.EnableWhileEnabled == EnableWhileEnabledRefuse {
		return nil, refusal(ErrorAlreadyEnabled)
	}
	added, rejected := p.additions(req.dests)
	if rejected != nil {
		return nil, rejected
	}
	return func(st *numState) {
		st.enabled = true
		st.dests = append(st.dests, cloneDestinations(added)...)
	}, nil
}

// put appends destinations (see additions).
func (p planner) put(dests []Destination) (func(*numState), *response) {
	if refused := p.refusedWhileDisabled(); refused != nil {
		return nil, refused
	}
	added, rejected := p.additions(dests)
	if rejected != nil {
		return nil, rejected
	}
	return func(st *numState) {
		st.dests = append(st.dests, cloneDestinations(added)...)
	}, nil
}

// patch changes the url and headers of an existing destination; its
// headers are replaced or merged as Options.PatchHeaders says.
func (p planner) patch(d Destination) (func(*numState), *response) {
	if refused := p.refusedWhileDisabled(); refused != nil {
		return nil, refused
	}
	if p.target.index(d.Name) < 0 {
		return p.unknownName(d.Name)
	}
	d = cloneDestination(d)
	merge := p.opts.PatchHeaders == PatchHeadersMerge
	return func(st *numState) {
		i := st.index(d.Name)
		if i < 0 {
			return
		}
		next := cloneDestination(d)
		if merge {
			next.Headers = cloneDestination(st.dests[i]).Headers
			maps.Copy(next.Headers, d.Headers)
		}
		st.dests[i] = next
	}, nil
}

// remove deletes an existing destination.
func (p planner) remove(name string) (func(*numState), *response) {
	if refused := p.refusedWhileDisabled(); refused != nil {
		return nil, refused
	}
	if p.target.index(name) < 0 {
		return p.unknownName(name)
	}
	return func(st *numState) {
		if i := st.index(name); i >= 0 {
			st.dests = slices.Delete(st.dests, i, i+1)
		}
	}, nil
}

// refusedWhileDisabled is the answer refusing PUT, PATCH or DELETE while
// the feature is disabled, or nil when it is enabled or
// Options.WhileDisabled accepts such changes (they then apply to the
// hidden destinations).
func (p planner) refusedWhileDisabled() *response {
	if p.target.enabled || p.opts.WhileDisabled == WhileDisabledAccept {
		return nil
	}
	return messageResponse(http.StatusConflict, MessageDisabled)
}

// unknownName answers PATCH or DELETE of a name target lacks, as
// Options.UnknownName says: refused 404 or 400, or accepted and applying
// nothing. The documentation has no text for it; the fake mirrors
// "already exists".
func (p planner) unknownName(name string) (func(*numState), *response) {
	text := fmt.Sprintf("Destination with name %s not found", name)
	switch p.opts.UnknownName {
	case UnknownNameBadRequest:
		return nil, errorResponse(http.StatusBadRequest, text)
	case UnknownNameAccept:
		return func(*numState) {}, nil
	}
	return nil, errorResponse(http.StatusNotFound, text)
}

// additions returns the destinations of a POST or PUT that target gains:
// all of them, or with ExistingNameSkip those whose name target lacks
// (hidden destinations included). It refuses a name target has (unless
// skipped) and more than MaxDestinations in all. Duplicates inside the
// request were refused when it was parsed.
func (p planner) additions(dests []Destination) ([]Destination, *response) {
	added := make([]Destination, 0, len(dests))
	for _, d := range dests {
		switch {
		case p.target.index(d.Name) < 0:
			added = append(added, cloneDestination(d))
		case p.opts.ExistingName != ExistingNameSkip:
			return nil, refusal(fmt.Sprintf("Destination with name %s already exists", d.Name))
		}
	}
	if len(p.target.dests)+len(added) > MaxDestinations {
		return nil, refusal(ErrorTooManyDestinations)
	}
	return added, nil
}
