package bench

import (
	"net/http"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// Call is one mutating API call (POST, PUT, PATCH or DELETE) that the fake
// saw for one number, with the GETs that followed it until the next call.
// Retried attempts of the same call (answered 429 or 5xx) are one Call.
type Call struct {
	Method   string
	Path     string
	Status   int       // the answer to the last attempt
	Attempts int       // requests the call took
	Arrival  time.Time // arrival of the last attempt, the one that counts
	// GETs made after the call and before the next one: the polls of an
	// accepted call, or the re-read that follows a rejected one.
	GETs int
	// GETsEnd is when the last of those GETs was answered (zero if none).
	GETsEnd time.Time
}

// Accepted reports whether the fake accepted the call (a 2xx answer).
func (c Call) Accepted() bool {
	return c.Status >= 200 && c.Status <= 299
}

// Traffic is one number's requests in one CLI command, split the way the
// report explains them.
type Traffic struct {
	// GETsBefore are the GETs before the first mutating call: the refresh
	// of an existing resource, or a create's read of its starting point.
	GETsBefore int
	Calls      []Call
}

// SplitTraffic attributes the requests of the number with fingerprint fingerprint, in
// log order, to the calls they belong to.
func SplitTraffic(reqs []fakeapi.Request, fingerprint string) Traffic {
	var t Traffic
	for _, r := range reqs {
		if r.Fingerprint != fingerprint {
			continue
		}
		t.add(r)
	}
	return t
}

// add attributes one request.
func (t *Traffic) add(r fakeapi.Request) {
	if r.Method == http.MethodGet {
		if len(t.Calls) == 0 {
			t.GETsBefore++
			return
		}
		last := &t.Calls[len(t.Calls)-1]
		last.GETs++
		last.GETsEnd = r.Time.Add(r.Duration)
		return
	}
	if n := len(t.Calls); n > 0 && t.Calls[n-1].isRetriedBy(r) {
		c := &t.Calls[n-1]
		c.Attempts++
		c.Status, c.Arrival = r.Status, r.Time
		return
	}
	t.Calls = append(t.Calls, Call{Method: r.Method, Path: r.Path, Status: r.Status, Attempts: 1, Arrival: r.Time})
}

// isRetriedBy reports whether r is another attempt of c: the same call
// right after an answer that the client retries, with no GET in between.
func (c Call) isRetriedBy(r fakeapi.Request) bool {
	retryable := c.Status == http.StatusTooManyRequests || c.Status >= 500
	return retryable && c.GETs == 0 && c.Method == r.Method && c.Path == r.Path
}

// Counts sums the calls per method: accepted ones, and rejected ones (the
// final answer was not 2xx).
func (t Traffic) Counts() (accepted, rejected map[string]int) {
	accepted, rejected = map[string]int{}, map[string]int{}
	for _, c := range t.Calls {
		if c.Accepted() {
			accepted[c.Method]++
		} else {
			rejected[c.Method]++
		}
	}
	return accepted, rejected
}

// Polls sums the GETs that followed accepted calls, and ReReads those that
// followed rejected ones.
func (t Traffic) Polls() (polls, reReads int) {
	for _, c := range t.Calls {
		if c.Accepted() {
			polls += c.GETs
		} else {
			reReads += c.GETs
		}
	}
	return polls, reReads
}

// GETs is every GET of the number.
func (t Traffic) GETs() int {
	polls, reReads := t.Polls()
	return t.GETsBefore + polls + reReads
}
