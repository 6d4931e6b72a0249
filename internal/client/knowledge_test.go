package client

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// knowingClient is a client whose clock reads now, with num's waits learnt
// at the given seconds after it.
func knowingClient(t *testing.T, now time.Time, key string, waits map[int]bracket) *Client {
	t.Helper()
	c := simClient(t, defaultPoll(t))
	for sec, b := range waits {
		c.settled[multiWebhookPath].now = func() time.Time { return now.Add(time.Duration(sec) * time.Second) }
		c.Number(key).learnSettle(b)
	}
	c.settled[multiWebhookPath].now = func() time.Time { return now.Add(time.Hour) }
	return c
}

func TestSettleKnowledgeJSON(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	c := knowingClient(t, now, testKey, map[int]bracket{
		0: {lo: 1500 * time.Millisecond, hi: 2100*time.Millisecond + 300*time.Microsecond},
		5: {lo: 0, hi: 600 * time.Millisecond},
	})
	own := c.Number(testKey).SettleKnowledge()
	data, err := json.Marshal(own)
	if err != nil {
		t.Fatal(err)
	}
	// Milliseconds rounded outwards, oldest first.
	want := `{"v":1,"own":[{"lo_ms":1500,"hi_ms":2101,"at":1800000000},{"lo_ms":0,"hi_ms":600,"at":1800000005}]}`
	if string(data) != want {
		t.Errorf("JSON %s, want %s", data, want)
	}
	if strings.Contains(string(data), testKey) || strings.Contains(string(data), Fingerprint(testKey)) {
		t.Errorf("JSON %s names the number", data)
	}
	var back SettleKnowledge
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, own) {
		t.Errorf("read back %+v, want %+v", back, own)
	}

	others, err := json.Marshal(c.Number("another-key").SettleKnowledge())
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(want, `"own"`, `"others"`, 1); string(others) != want {
		t.Errorf("a number without waits of its own: %s, want %s", others, want)
	}
	empty, err := json.Marshal(SettleKnowledge{})
	if err != nil || string(empty) != `{"v":1}` {
		t.Errorf("knowing nothing: %s, %v", empty, err)
	}
}

func TestSettleKnowledgeRefusesWhatItWouldNotWrite(t *testing.T) {
	wait := `{"lo_ms":1,"hi_ms":2,"at":1800000000}`
	five := "[" + strings.Repeat(wait+",", 4) + wait + "]"
	cases := map[string]string{
		"another version":  `{"v":2,"own":[` + wait + `]}`,
		"no version":       `{"own":[` + wait + `]}`,
		"not JSON":         `{"v":1,`,
		"too large":        `{"v":1,"pad":"` + strings.Repeat("x", maxKnowledgeJSON) + `"}`,
		"five own waits":   `{"v":1,"own":` + five + `}`,
		"five other waits": `{"v":1,"others":` + five + `}`,
		"lo not below hi":  `{"v":1,"own":[{"lo_ms":2,"hi_ms":2,"at":1800000000}]}`,
		"negative lo":      `{"v":1,"own":[{"lo_ms":-1,"hi_ms":2,"at":1800000000}]}`,
		"over an hour":     `{"v":1,"own":[{"lo_ms":1,"hi_ms":3600001,"at":1800000000}]}`,
		"overflowing hi":   `{"v":1,"own":[{"lo_ms":1,"hi_ms":9223372036854775807,"at":1800000000}]}`,
		"no date":          `{"v":1,"others":[{"lo_ms":1,"hi_ms":2}]}`,
	}
	for name, input := range cases {
		var k SettleKnowledge
		if err := json.Unmarshal([]byte(input), &k); err == nil {
			t.Errorf("%s: accepted %+v", name, k)
		}
	}
}

// TestRememberCountsAWaitOnce: the same knowledge remembered again (a
// resource's private state read by Read, then by Update) does not weigh
// more than another wait.
func TestRememberCountsAWaitOnce(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	fast, slow := bracket{lo: 400 * time.Millisecond, hi: 500 * time.Millisecond}, bracket{lo: 4 * time.Second, hi: 5 * time.Second}
	k := knowingClient(t, now, testKey, map[int]bracket{0: fast}).Number(testKey).SettleKnowledge()
	c := knowingClient(t, now, testKey, map[int]bracket{1: slow})
	num := c.Number(testKey)
	for range 3 {
		num.Remember(k)
	}
	// Two waits: the median is the upper one. Counted thrice, fast would win.
	if est, _ := c.settled[multiWebhookPath].estimate(num.fingerprint); est != slow {
		t.Errorf("estimate %+v, want %+v", est, slow)
	}
}

// FuzzSettleKnowledge: any input is refused or read into a value that
// writes back to a form read as the same value.
func FuzzSettleKnowledge(f *testing.F) {
	f.Add(`{"v":1,"own":[{"lo_ms":1500,"hi_ms":2101,"at":1800000000}],"others":[{"lo_ms":0,"hi_ms":600,"at":1}]}`)
	f.Add(`{"v":1}`)
	f.Fuzz(func(t *testing.T, input string) {
		var k SettleKnowledge
		if json.Unmarshal([]byte(input), &k) != nil {
			return
		}
		data, err := json.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		var back SettleKnowledge
		if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back, k) {
			t.Fatalf("%s read back as %+v (%v), want %+v", data, back, err, k)
		}
	})
}
