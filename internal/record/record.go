// Package record keeps what an API answered, as shapes and never values:
// for each endpoint and situation, the status, the content type and the
// JSON keys and types of the body, and what the API was seen to do where
// its documentation is silent. The live acceptance suite writes one against
// 360dialog or against the project's fake; Compare says where two differ.
package record

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
)

// Version is the format of the files this package writes.
const Version = 1

// Answer is the shape of one answer of the API.
type Answer struct {
	Endpoint    string `json:"endpoint"`     // method and path template, e.g. "DELETE /multi_webhook/{name}"
	Situation   string `json:"situation"`    // what the number looked like, e.g. "unknown name"
	Status      int    `json:"status"`       // the HTTP status
	ContentType string `json:"content_type"` // the Content-Type header as sent, "" when there was none
	Shape       string `json:"shape"`        // Shape of the body
}

// key identifies an answer within a record.
func (a Answer) key() string {
	return a.Endpoint + " — " + a.Situation
}

// Behaviour is what the API was seen to do about one question its
// documentation leaves open, in a word or two ("replace", "merge").
type Behaviour struct {
	Question string `json:"question"`
	Observed string `json:"observed"`
}

// Record is what one run saw. It is safe for concurrent use.
type Record struct {
	mu         sync.Mutex
	answers    map[string]Answer
	behaviours map[string]string
	secrets    []string // values no recorded text may hold (see Secret)
}

// New returns an empty record.
func New() *Record {
	return &Record{answers: map[string]Answer{}, behaviours: map[string]string{}}
}

// Secret registers values that must never be recorded. A shape holds no
// value, but a hostile answer could name a key after one (a proxy echoing
// the request's headers back as an object, say); such text is replaced by
// [secret] wherever it would be recorded.
func (r *Record) Secret(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		if v != "" {
			r.secrets = append(r.secrets, v)
		}
	}
}

// Add records an answer; a later answer of the same endpoint and situation
// replaces an earlier one.
func (r *Record) Add(a Answer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a.Situation, a.ContentType, a.Shape = r.scrub(a.Situation), r.scrub(a.ContentType), r.scrub(a.Shape)
	r.answers[a.key()] = a
}

// scrub replaces every registered secret in s. Callers hold r.mu.
func (r *Record) scrub(s string) string {
	for _, v := range r.secrets {
		s = strings.ReplaceAll(s, v, "[secret]")
	}
	return s
}

// Observe records what the API did about question.
func (r *Record) Observe(question, observed string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.behaviours[question] = observed
}

// Behaviour is what was observed about question, "" when nothing.
func (r *Record) Behaviour(question string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.behaviours[question]
}

// Empty reports whether nothing was recorded.
func (r *Record) Empty() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.answers) == 0 && len(r.behaviours) == 0
}

// file is a record as stored: sorted, so that two runs that saw the same
// write the same bytes.
type file struct {
	Version    int         `json:"version"`
	Answers    []Answer    `json:"answers"`
	Behaviours []Behaviour `json:"behaviours"`
}

// snapshot returns the record in its stored form.
func (r *Record) snapshot() file {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := file{Version: Version, Answers: []Answer{}, Behaviours: []Behaviour{}}
	for _, k := range slices.Sorted(maps.Keys(r.answers)) {
		f.Answers = append(f.Answers, r.answers[k])
	}
	for _, q := range slices.Sorted(maps.Keys(r.behaviours)) {
		f.Behaviours = append(f.Behaviours, Behaviour{Question: q, Observed: r.behaviours[q]})
	}
	return f
}

// MarshalJSON encodes the record in its stored form.
func (r *Record) MarshalJSON() ([]byte, error) {
	return json.Marshal(r.snapshot())
}

// Save writes the record to path, indented, with a final newline.
func (r *Record) Save(path string) error {
	data, err := json.MarshalIndent(r.snapshot(), "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the record: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing the record: %w", err)
	}
	return nil
}

// Load reads a record written by Save.
func Load(path string) (*Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the record: %w", err)
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s is not a record: %w", path, err)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("%s is a record of version %d; this build reads version %d", path, f.Version, Version)
	}
	r := New()
	for _, a := range f.Answers {
		r.Add(a)
	}
	for _, b := range f.Behaviours {
		r.Observe(b.Question, b.Observed)
	}
	return r, nil
}

// Difference is one place where two records disagree.
type Difference struct {
	What string // the endpoint and situation, or the question
	A, B string // what each record says; "(not recorded)" when it has nothing
}

// String reads like `GET /multi_webhook — enabled, no destinations: shape
// {"enabled": boolean} ≠ {"destinations": [], "enabled": boolean}`.
func (d Difference) String() string {
	return fmt.Sprintf("%s:\n    A: %s\n    B: %s", d.What, d.A, d.B)
}

// notRecorded stands for a side that has nothing about a place.
const notRecorded = "(not recorded)"

// Compare lists where a and b differ: answers recorded by one only, or with
// another status, content type or shape, and behaviours seen differently.
func Compare(a, b *Record) []Difference {
	answersA, behavioursA := a.contents()
	answersB, behavioursB := b.contents()
	out := compareMaps(answersA, answersB, func(k string) string { return k }, describeAnswer)
	return append(out, compareMaps(behavioursA, behavioursB, func(q string) string { return "behaviour: " + q },
		func(observed string) string { return observed })...)
}

// contents returns copies of the record's answers and behaviours.
func (r *Record) contents() (map[string]Answer, map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.answers), maps.Clone(r.behaviours)
}

// compareMaps lists the keys whose values differ between a and b, in key
// order, each side described by describe or notRecorded.
func compareMaps[V comparable](a, b map[string]V, what func(string) string, describe func(V) string) []Difference {
	keys := slices.Collect(maps.Keys(a))
	keys = append(keys, slices.Collect(maps.Keys(b))...)
	slices.Sort(keys)
	var out []Difference
	for _, k := range slices.Compact(keys) {
		x, inA := a[k]
		y, inB := b[k]
		if inA && inB && x == y {
			continue
		}
		out = append(out, Difference{What: what(k), A: side(x, inA, describe), B: side(y, inB, describe)})
	}
	return out
}

// side describes one side of a difference, or says it has nothing.
func side[V any](v V, found bool, describe func(V) string) string {
	if !found {
		return notRecorded
	}
	return describe(v)
}

// describeAnswer describes an answer for a difference.
func describeAnswer(a Answer) string {
	ct := a.ContentType
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("HTTP %d, %s, %s", a.Status, ct, a.Shape)
}

// Report renders differences for a terminal, one block each, or says that
// there are none.
func Report(diffs []Difference, nameA, nameB string) string {
	if len(diffs) == 0 {
		return fmt.Sprintf("no differences between %s and %s\n", nameA, nameB)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d differences between A (%s) and B (%s):\n", len(diffs), nameA, nameB)
	for _, d := range diffs {
		b.WriteString("  " + d.String() + "\n")
	}
	return b.String()
}
