package fakeapi

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"time"
)

// maxLogEntries bounds the request log; when it is full the oldest half is
// dropped. The counts stay exact.
const maxLogEntries = 1 << 20

// Request is one entry of the request log.
type Request struct {
	Time        time.Time     // when the request arrived
	Method      string        // HTTP method
	Path        string        // escaped path, as sent
	Endpoint    string        // PathMultiWebhook, PathWebhook, or the path itself for any other
	Fingerprint string        // Fingerprint of the API key; empty when none was sent
	Status      int           // status answered; 499 when the client went away first
	Duration    time.Duration // time to answer, ResponseDelay included
}

// Fingerprint returns the non-secret identity of an API key: the first 16 hex
// digits of its SHA-256, or "" for the empty key. It is what the request
// log records instead of the key.
func Fingerprint(key string) string {
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}

// endpointOf returns the endpoint of an escaped path: PathMultiWebhook for
// it and for /multi_webhook/{name}, PathWebhook, or the path itself.
func endpointOf(path string) string {
	if strings.HasPrefix(path, PathMultiWebhook+"/") {
		return PathMultiWebhook
	}
	return path
}

// requestLog is the log of API requests and its running counts.
type requestLog struct {
	limit         int // entries kept at most
	entries       []Request
	byMethod      map[string]int
	byKey         map[string]map[string]int            // Fingerprint → method → count
	byEndpoint    map[string]map[string]int            // endpoint → method → count
	byKeyEndpoint map[string]map[string]map[string]int // Fingerprint → endpoint → method → count
	byStatus      map[int]int
}

// newRequestLog returns an empty log.
func newRequestLog() requestLog {
	return requestLog{
		limit:         maxLogEntries,
		byMethod:      map[string]int{},
		byKey:         map[string]map[string]int{},
		byEndpoint:    map[string]map[string]int{},
		byKeyEndpoint: map[string]map[string]map[string]int{},
		byStatus:      map[int]int{},
	}
}

// add appends req to the log and counts it.
func (l *requestLog) add(req Request) {
	if len(l.entries) >= l.limit {
		l.entries = slices.Delete(l.entries, 0, len(l.entries)/2)
	}
	l.entries = append(l.entries, req)
	l.byMethod[req.Method]++
	l.byStatus[req.Status]++
	count(l.byKey, req.Fingerprint, req.Method)
	count(l.byEndpoint, req.Endpoint, req.Method)
	if l.byKeyEndpoint[req.Fingerprint] == nil {
		l.byKeyEndpoint[req.Fingerprint] = map[string]map[string]int{}
	}
	count(l.byKeyEndpoint[req.Fingerprint], req.Endpoint, req.Method)
}

// count adds one to counts[group][method], creating the group as needed.
func count(counts map[string]map[string]int, group, method string) {
	if counts[group] == nil {
		counts[group] = map[string]int{}
	}
	counts[group][method]++
}

// record adds req to the log, with the endpoint its path belongs to.
func (s *Server) record(req Request) {
	req.Endpoint = endpointOf(req.Path)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.add(req)
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log.entries)
}

// Counts returns the number of requests per HTTP method, all keys together.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.log.byMethod)
}

// CountsFor returns the number of requests per HTTP method made with key
// (with no key at all when key is empty), to any endpoint.
func (s *Server) CountsFor(key string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneCounts(s.log.byKey[Fingerprint(key)])
}

// CountsAt returns the number of requests per HTTP method made with key to
// endpoint (PathMultiWebhook, which includes DELETE /multi_webhook/{name},
// or PathWebhook).
func (s *Server) CountsAt(key, endpoint string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneCounts(s.log.byKeyEndpoint[Fingerprint(key)][endpoint])
}

// cloneCounts copies counts, never returning nil.
func cloneCounts(counts map[string]int) map[string]int {
	out := maps.Clone(counts)
	if out == nil {
		out = map[string]int{}
	}
	return out
}

// ResetLog clears the request log and its counts; the phone numbers' state
// is kept.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = newRequestLog()
}
