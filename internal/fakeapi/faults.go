package fakeapi

import (
	"math"
	"net/http"
	"time"
)

// drawLocked reports whether a fault of probability p happens now. It
// consumes no randomness when p is 0 or 1.
func (s *Server) drawLocked(p float64) bool {
	switch {
	case p <= 0:
		return false
	case p >= 1:
		return true
	default:
		return s.rng.Float64() < p
	}
}

// getFaultLocked returns an injected GET failure of endpoint: a 502 and a
// 500, alternately, starting with the 502. The multi-webhook 502 is a
// proxy's HTML page; the primary webhook answers both in its meta shape.
func (s *Server) getFaultLocked(endpoint string) response {
	s.getFaults++
	switch {
	case s.getFaults%2 == 0:
		return *failure(endpoint, http.StatusInternalServerError, ErrorInternal)
	case endpoint == PathWebhook:
		return *metaResponse(http.StatusBadGateway, ErrorBadGateway)
	}
	return response{status: http.StatusBadGateway, html: badGatewayPage}
}

// rateLimitLocked counts a request of n, to either endpoint, against the
// sliding window of Options.RateLimit and returns the 429 answer of
// endpoint when the window is full.
// Refused requests do not use up the window.
func (s *Server) rateLimitLocked(n *number, endpoint string, now time.Time) *response {
	limit, window := s.opts.RateLimit, s.opts.RateWindow
	if limit <= 0 {
		n.hits = nil
		return nil
	}
	cut := 0
	for cut < len(n.hits) && !n.hits[cut].After(now.Add(-window)) {
		cut++
	}
	n.hits = n.hits[cut:]
	if len(n.hits) >= limit {
		resp := failure(endpoint, http.StatusTooManyRequests, ErrorTooManyRequests)
		resp.retryAfter = retryAfterSeconds(n.hits[len(n.hits)-limit].Add(window).Sub(now))
		return resp
	}
	n.hits = append(n.hits, now)
	return nil
}

// retryAfterSeconds rounds a wait up to whole seconds, at least one.
func retryAfterSeconds(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}
