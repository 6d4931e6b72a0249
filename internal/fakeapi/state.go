package fakeapi

import (
	"maps"
	"slices"
	"time"
)

// Destination is one extra webhook destination of a phone number. Headers
// is never nil in values returned by the Server.
type Destination struct {
	Name    string            `json:"name"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
}

// State is the settled multi-webhook configuration of one phone number.
//
// When Enabled is false, Destinations holds the destinations that survive
// the disable, are hidden from GET and reappear when the feature is enabled
// again (always none with Options.ClearOnDisable, unless set by SetState).
type State struct {
	Enabled      bool
	Destinations []Destination
}

// number is the state of one phone number (one API key).
type number struct {
	settled numState
	pending []change    // accepted changes of both endpoints, due times ascending
	hits    []time.Time // accepted requests inside the rate window, oldest first
}

// numState is a configuration: settled, or projected with pending changes.
type numState struct {
	enabled bool
	dests   []Destination
	webhook *Webhook // the primary webhook; nil when there is none
}

// change is an accepted change that applies, atomically, at due.
type change struct {
	due      time.Time
	endpoint string // PathMultiWebhook or PathWebhook
	apply    func(*numState)
}

// clone returns a deep copy of st.
func (st numState) clone() numState {
	return numState{enabled: st.enabled, dests: cloneDestinations(st.dests), webhook: st.webhook.clone()}
}

// index returns the position of the destination called name, or -1.
func (st numState) index(name string) int {
	return slices.IndexFunc(st.dests, func(d Destination) bool { return d.Name == name })
}

// projected returns the state the number will have once every pending change
// has applied.
func (n *number) projected() numState {
	st := n.settled.clone()
	for _, c := range n.pending {
		c.apply(&st)
	}
	return st
}

// settleLocked applies, in order, the pending changes of n that are due.
func (s *Server) settleLocked(n *number, now time.Time) {
	if s.opts.NeverSettle {
		return
	}
	for len(n.pending) > 0 && !n.pending[0].due.After(now) {
		n.pending[0].apply(&n.settled)
		n.pending = n.pending[1:]
	}
	if len(n.pending) == 0 {
		n.pending = nil
	}
}

// pendingAt reports whether n has a change of endpoint pending.
func (n *number) pendingAt(endpoint string) bool {
	return slices.ContainsFunc(n.pending, func(c change) bool { return c.endpoint == endpoint })
}

// dropPending forgets the pending changes of endpoint.
func (n *number) dropPending(endpoint string) {
	n.pending = slices.DeleteFunc(n.pending, func(c change) bool { return c.endpoint == endpoint })
	if len(n.pending) == 0 {
		n.pending = nil
	}
}

// queueLocked queues a change of endpoint accepted now for n. It applies a
// settle delay after its acceptance or, when queued behind another change
// of the same endpoint, after that one; the queue stays in due order.
func (s *Server) queueLocked(n *number, endpoint string, now time.Time, apply func(*numState)) {
	start := now
	for _, c := range n.pending {
		if c.endpoint == endpoint && c.due.After(start) {
			start = c.due
		}
	}
	c := change{due: start.Add(s.settleDelayLocked()), endpoint: endpoint, apply: apply}
	i := len(n.pending)
	for i > 0 && n.pending[i-1].due.After(c.due) {
		i--
	}
	n.pending = slices.Insert(n.pending, i, c)
}

// settleDelayLocked draws one settle delay: SettleDelay plus a uniform
// jitter in [-SettleJitter, +SettleJitter], never below zero.
func (s *Server) settleDelayLocked() time.Duration {
	d := s.opts.SettleDelay
	if j := s.opts.SettleJitter; j > 0 {
		d += time.Duration(s.rng.Int64N(2*int64(j)+1)) - j
	}
	return max(d, 0)
}

// cloneDestinations deep-copies dests; the result and its header maps are
// never nil.
func cloneDestinations(dests []Destination) []Destination {
	out := make([]Destination, len(dests))
	for i, d := range dests {
		out[i] = cloneDestination(d)
	}
	return out
}

// cloneDestination deep-copies d; the headers of the copy are never nil.
func cloneDestination(d Destination) Destination {
	h := maps.Clone(d.Headers)
	if h == nil {
		h = map[string]string{}
	}
	return Destination{Name: d.Name, URL: d.URL, Headers: h}
}

// State returns the settled state of the phone number of key (pending
// changes that are due are applied first). An unknown key is disabled and
// empty.
func (s *Server) State(key string) State {
	st, _ := s.stateByID(Fingerprint(key))
	return st
}

// stateByID returns the settled state and the number of pending changes of
// the phone number with fingerprint id.
func (s *Server) stateByID(id string) (State, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.numbers[id]
	if n == nil {
		return State{Destinations: []Destination{}}, 0
	}
	s.settleLocked(n, s.now())
	return State{Enabled: n.settled.enabled, Destinations: cloneDestinations(n.settled.dests)}, len(n.pending)
}

// Pending returns how many accepted changes of key's phone number have not
// settled yet.
func (s *Server) Pending(key string) int {
	_, pending := s.stateByID(Fingerprint(key))
	return pending
}

// SetState replaces the multi-webhook state of key's phone number out of
// band, as a change made elsewhere would (drift). It settles immediately
// and drops pending multi-webhook changes; the primary webhook is left as
// it is (see SetWebhook). The state is taken as given, without validation.
func (s *Server) SetState(key string, st State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.numberLocked(Fingerprint(key))
	n.settled.enabled, n.settled.dests = st.Enabled, cloneDestinations(st.Destinations)
	n.dropPending(PathMultiWebhook)
}
