package fakeapi

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// randomCall returns a random API call on the destinations x0..x4.
func randomCall(rng *rand.Rand) (method, path, body string) {
	name := fmt.Sprintf("x%d", rng.IntN(5))
	switch rng.IntN(6) {
	case 0:
		return "GET", "/multi_webhook", ""
	case 1:
		return "POST", "/multi_webhook", fmt.Sprintf(`{"enabled": %v}`, rng.IntN(4) > 0)
	case 2:
		return "PUT", "/multi_webhook", put(name)
	case 3:
		return "PATCH", "/multi_webhook", `{"name": "` + name + `", "url": "https://p.example.com", "headers": {"A": "b"}}`
	case 4:
		return "DELETE", "/multi_webhook/" + name, ""
	default:
		return "POST", "/multi_webhook", `{"enabled": true, "destinations": [{"name": "` + name + `", "url": "https://e.example.com"}]}`
	}
}

// checkInvariants fails when a GET answer breaks the API's rules.
func checkInvariants(t *testing.T, r result) {
	t.Helper()
	if r.status != 200 {
		return
	}
	c := r.config(t)
	if len(c.Destinations) > MaxDestinations {
		t.Errorf("GET shows %d destinations", len(c.Destinations))
	}
	seen := map[string]bool{}
	for _, d := range c.Destinations {
		if seen[d.Name] {
			t.Errorf("GET shows %q twice", d.Name)
		}
		seen[d.Name] = true
	}
}

func TestConcurrentUse(t *testing.T) {
	for _, queue := range []bool{false, true} {
		t.Run(fmt.Sprintf("queue=%v", queue), func(t *testing.T) {
			s := New(Options{
				SettleDelay: time.Millisecond, SettleJitter: time.Millisecond, QueueWhilePending: queue,
				ShuffleOrder: true, ChangeFailureRate: 0.05, GetFailureRate: 0.05, Seed: 5,
			})
			const keys, workers, calls = 4, 3, 60
			var sent atomic.Int64
			var wg sync.WaitGroup
			for k := range keys {
				for w := range workers {
					wg.Go(func() {
						key := fmt.Sprintf("key-%d", k)
						rng := rand.New(rand.NewPCG(uint64(k), uint64(w)))
						for range calls {
							method, path, body := randomCall(rng)
							r := do(t, s, method, path, key, body)
							sent.Add(1)
							checkInvariants(t, r)
						}
					})
				}
			}
			// Out-of-band readers and writers run at the same time.
			wg.Go(func() {
				for i := range 50 {
					s.SetOptions(func(o *Options) { o.ShuffleOrder = i%2 == 0 })
					s.SetState("key-0", enabledWith(dest("drift", "https://d.example.com")))
					_ = s.State("key-1")
					_ = s.Requests()
					_ = s.Counts()
					_ = s.CountsFor("key-2")
					_ = s.Numbers()
					_ = s.Stats()
					_ = s.Pending("key-3")
				}
			})
			wg.Wait()
			total := 0
			for _, c := range s.Counts() {
				total += c
			}
			if int64(total) != sent.Load() || len(s.Requests()) != total {
				t.Fatalf("counted %d requests, logged %d, sent %d", total, len(s.Requests()), sent.Load())
			}
		})
	}
}

func TestConcurrentPollersNeverSeeHalfAChange(t *testing.T) {
	s := New(Options{SettleDelay: 5 * time.Millisecond})
	ts := httptest.NewServer(s)
	defer ts.Close()
	s.SetState(testKey, enabledWith())
	body := `{"destinations": [
		{"name": "a", "url": "https://a.example.com"},
		{"name": "b", "url": "https://b.example.com"},
		{"name": "c", "url": "https://c.example.com"}]}`
	req, _ := http.NewRequest("PUT", ts.URL+"/multi_webhook", strings.NewReader(body))
	req.Header.Set(HeaderAPIKey, testKey)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			deadline := time.Now().Add(5 * time.Second)
			for time.Now().Before(deadline) {
				n := len(visible(t, s))
				if n != 0 && n != 3 {
					t.Errorf("GET shows %d of 3 destinations", n)
					return
				}
				if n == 3 {
					return
				}
			}
			t.Error("change never settled")
		})
	}
	wg.Wait()
}
