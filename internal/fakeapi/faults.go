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

// getFaultLocked returns an injected GET failure: an HTML 502 page and a
// JSON 500, alternately, starting with the 502.
func (s *Server) getFaultLocked() response {
	s.getFaults++
	if s.getFaults%2 == 1 {
		return response{status: http.StatusBadGateway, html: badGatewayPage}
	}
	return *errorResponse(http.StatusInternalServerError, ErrorInternal)
}

// rateLimitLocked counts a request of n against the sliding window of
// Options.RateLimit and returns the 429 answer when the window is full.
// Refused requests do not use up the window.
func (s *Server) rateLimitLocked(n *number, now time.Time) *response {
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
		resp := errorResponse(http.StatusTooManyRequests, ErrorTooManyRequests)
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
