package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// SettleKnowledge is what a Client knows about how long changes to multi
// webhooks take to settle at 360dialog, as it bears on one number (the
// primary webhook's waits are not part of it): the number's own recent
// waits and, for a number with none of its own, the newest waits of other
// numbers. Export it with [Number.SettleKnowledge], keep it (the provider
// keeps it in the resource's private state), and give it to another Client
// with [Number.Remember]: that Client's first wait for the number is then
// as short as its later ones, and its first waits for other numbers too.
//
// It holds elapsed times and dates only, nothing secret. Its JSON form is
// versioned and small: at most numberMemorySize waits of each kind, each
// as two elapsed times in milliseconds and the Unix time the wait ended.
// The zero value knows nothing.
type SettleKnowledge struct {
	own    []sample // the number's own waits, oldest first
	others []sample // waits of other numbers, oldest first
}

// knowledgeVersion is the version of the JSON form that this client writes
// and reads.
const knowledgeVersion = 1

// Bounds of what a SettleKnowledge may hold when read: a larger input, a
// longer list or a longer wait was not written by this client.
const (
	maxKnowledgeJSON = 2048
	maxSettleSample  = time.Hour
)

// IsEmpty reports whether k knows nothing.
func (k SettleKnowledge) IsEmpty() bool {
	return len(k.own) == 0 && len(k.others) == 0
}

// SettleKnowledge returns what the Client knows that bears on the number's
// next change: its own recent waits (see fresh), or, when it has none, the
// newest waits of other numbers.
func (num *Number) SettleKnowledge() SettleKnowledge {
	m := num.knowledgeMemory()
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock()
	k := SettleKnowledge{own: fresh(m.numbers[num.fingerprint], now)}
	if len(k.own) == 0 {
		recent := fresh(m.recent, now)
		k.others = recent[max(0, len(recent)-numberMemorySize):]
	}
	return k
}

// Remember adds k to what the Client knows: the number's own waits to its
// memory, and every wait to what the process knows, for numbers without
// waits of their own. Waits that fresh drops, too old or dated too far
// ahead of this machine's clock, are ignored; so are waits already known.
func (num *Number) Remember(k SettleKnowledge) {
	m := num.knowledgeMemory()
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock()
	for _, s := range fresh(k.own, now) {
		m.addOwn(num.fingerprint, s)
	}
	for _, s := range fresh(k.others, now) {
		m.recent = insertByTime(m.recent, s, settleMemorySize)
	}
}

// knowledgeMemory is the memory that SettleKnowledge exports and Remember
// fills: that of the multi webhook, whose changes are the ones that wait.
// The primary webhook's waits have a memory of their own in the process,
// but are not exported: its changes are rare, one POST each, and their
// first poll is immediate.
func (num *Number) knowledgeMemory() *settleMemory {
	return num.client.settled[multiWebhookPath]
}

// knowledgeJSON is the JSON form of a SettleKnowledge.
type knowledgeJSON struct {
	Version int          `json:"v"`
	Own     []sampleJSON `json:"own,omitempty"`
	Others  []sampleJSON `json:"others,omitempty"`
}

// sampleJSON is one wait: the change was not visible LoMS milliseconds
// after it was accepted (0: the first poll saw it), was visible at HiMS,
// and the wait ended at Unix time At.
type sampleJSON struct {
	LoMS int64 `json:"lo_ms"`
	HiMS int64 `json:"hi_ms"`
	At   int64 `json:"at"`
}

// MarshalJSON writes the versioned JSON form.
func (k SettleKnowledge) MarshalJSON() ([]byte, error) {
	return json.Marshal(knowledgeJSON{Version: knowledgeVersion, Own: samplesToJSON(k.own), Others: samplesToJSON(k.others)})
}

// samplesToJSON converts samples to their JSON form.
func samplesToJSON(samples []sample) []sampleJSON {
	out := make([]sampleJSON, 0, len(samples))
	for _, s := range samples {
		out = append(out, sampleJSON{LoMS: s.lo.Milliseconds(), HiMS: s.hi.Milliseconds(), At: s.at.Unix()})
	}
	return out
}

// UnmarshalJSON reads the JSON form. It refuses another version, and
// anything this client would not have written: an input over
// maxKnowledgeJSON, more than numberMemorySize waits of a kind, or a wait
// that is inconsistent or longer than maxSettleSample.
func (k *SettleKnowledge) UnmarshalJSON(data []byte) error {
	if len(data) > maxKnowledgeJSON {
		return fmt.Errorf("settle knowledge: %d bytes, more than %d", len(data), maxKnowledgeJSON)
	}
	var v knowledgeJSON
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("settle knowledge: %w", err)
	}
	if v.Version != knowledgeVersion {
		return fmt.Errorf("settle knowledge: version %d, this client reads version %d", v.Version, knowledgeVersion)
	}
	own, err := samplesFromJSON(v.Own)
	if err != nil {
		return err
	}
	others, err := samplesFromJSON(v.Others)
	if err != nil {
		return err
	}
	*k = SettleKnowledge{own: own, others: others}
	return nil
}

// samplesFromJSON converts and checks the waits of one kind, oldest first.
func samplesFromJSON(list []sampleJSON) ([]sample, error) {
	if len(list) > numberMemorySize {
		return nil, fmt.Errorf("settle knowledge: %d waits of one kind, more than %d", len(list), numberMemorySize)
	}
	var out []sample
	for _, j := range list {
		if j.LoMS < 0 || j.HiMS <= j.LoMS || j.HiMS > maxSettleSample.Milliseconds() || j.At <= 0 {
			return nil, errors.New("settle knowledge: a wait is inconsistent or out of range")
		}
		b := bracket{lo: time.Duration(j.LoMS) * time.Millisecond, hi: time.Duration(j.HiMS) * time.Millisecond}
		out = insertByTime(out, sample{bracket: b, at: time.Unix(j.At, 0)}, numberMemorySize)
	}
	return out, nil
}
