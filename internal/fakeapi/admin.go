package fakeapi

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
)

// Paths served by AdminHandler.
const (
	AdminStatsPath = "/_fake/stats"
	AdminResetPath = "/_fake/reset"
	AdminStatePath = "/_fake/state"
)

// Stats is the body of GET /_fake/stats.
type Stats struct {
	Total        int                                  `json:"total"`
	Methods      map[string]int                       `json:"methods"`       // method → count
	Statuses     map[string]int                       `json:"statuses"`      // status code → count
	Keys         map[string]map[string]int            `json:"keys"`          // Fingerprint → method → count
	Endpoints    map[string]map[string]int            `json:"endpoints"`     // endpoint → method → count
	KeyEndpoints map[string]map[string]map[string]int `json:"key_endpoints"` // Fingerprint → endpoint → method → count
}

// NumberState is one phone number in the body of GET /_fake/state.
type NumberState struct {
	Fingerprint  string        `json:"fingerprint"`
	Enabled      bool          `json:"enabled"`
	Destinations []Destination `json:"destinations"`      // hidden survivors when disabled
	Webhook      *Webhook      `json:"webhook,omitempty"` // the primary webhook, when there is one
	Pending      int           `json:"pending"`           // accepted changes not settled yet, of both endpoints
}

// AdminHandler returns the JSON endpoints that let another process inspect
// and reset the fake; mount it under /_fake/. They are not logged nor
// counted, and they need no API key:
//
//	GET  /_fake/stats                     request counts per method, status, fingerprint and endpoint
//	POST /_fake/reset[?scope=log]         forget every number and the log, or the log only
//	GET  /_fake/state[?fingerprint=ID]    settled state of one number (destinations and primary webhook), or of all
func (s *Server) AdminHandler() http.Handler {
	return http.HandlerFunc(s.serveAdmin)
}

// serveAdmin dispatches one admin request.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	var resp *response
	switch r.URL.Path {
	case AdminStatsPath:
		resp = onlyMethod(r, http.MethodGet, s.adminStats)
	case AdminResetPath:
		resp = onlyMethod(r, http.MethodPost, s.adminReset)
	case AdminStatePath:
		resp = onlyMethod(r, http.MethodGet, s.adminState)
	default:
		resp = errorResponse(http.StatusNotFound, "Not found: "+r.URL.EscapedPath())
	}
	resp.contentType = JSONContentType // the fake's own endpoints: no switch applies
	resp.write(w)
}

// onlyMethod calls handle when r uses method, and answers 405 otherwise.
func onlyMethod(r *http.Request, method string, handle func(*http.Request) *response) *response {
	if r.Method != method {
		return methodNotAllowed("", r.Method, method)
	}
	return handle(r)
}

// adminStats answers GET /_fake/stats.
func (s *Server) adminStats(*http.Request) *response {
	return &response{status: http.StatusOK, body: s.Stats()}
}

// adminReset answers POST /_fake/reset.
func (s *Server) adminReset(r *http.Request) *response {
	switch r.URL.Query().Get("scope") {
	case "":
		s.Reset()
	case "log":
		s.ResetLog()
	default:
		return errorResponse(http.StatusBadRequest, `scope must be empty or "log"`)
	}
	return messageResponse(http.StatusOK, "reset")
}

// adminState answers GET /_fake/state.
func (s *Server) adminState(r *http.Request) *response {
	id := r.URL.Query().Get("fingerprint")
	if id == "" {
		return &response{status: http.StatusOK, body: map[string][]NumberState{"numbers": s.Numbers()}}
	}
	for _, n := range s.Numbers() {
		if n.Fingerprint == id {
			return &response{status: http.StatusOK, body: n}
		}
	}
	return errorResponse(http.StatusNotFound, "Unknown fingerprint: "+id)
}

// Stats returns the request counts of the log.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{
		Methods:  maps.Clone(s.log.byMethod),
		Statuses: map[string]int{},
		Keys:     cloneGroups(s.log.byKey),
	}
	for status, c := range s.log.byStatus {
		st.Statuses[strconv.Itoa(status)] = c
		st.Total += c
	}
	st.Endpoints = cloneGroups(s.log.byEndpoint)
	st.KeyEndpoints = make(map[string]map[string]map[string]int, len(s.log.byKeyEndpoint))
	for id, groups := range s.log.byKeyEndpoint {
		st.KeyEndpoints[id] = cloneGroups(groups)
	}
	return st
}

// cloneGroups deep-copies groups of counts.
func cloneGroups(groups map[string]map[string]int) map[string]map[string]int {
	out := make(map[string]map[string]int, len(groups))
	for g, counts := range groups {
		out[g] = maps.Clone(counts)
	}
	return out
}

// Numbers returns the settled state of every phone number used so far,
// sorted by fingerprint.
func (s *Server) Numbers() []NumberState {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	out := make([]NumberState, 0, len(s.numbers))
	for _, id := range slices.Sorted(maps.Keys(s.numbers)) {
		n := s.numbers[id]
		s.settleLocked(n, now)
		out = append(out, NumberState{
			Fingerprint:  id,
			Enabled:      n.settled.enabled,
			Destinations: cloneDestinations(n.settled.dests),
			Webhook:      n.settled.webhook.clone(),
			Pending:      len(n.pending),
		})
	}
	return out
}
