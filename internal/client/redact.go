package client

import (
	"bytes"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// minSecretLen is the length, in bytes, of the shortest secret and of the
// shortest fragment of one that secretSet.redact removes. A shorter value cannot be
// kept out of a text without garbling it (removing every "1" or "abc" would
// erase words and numbers the reader needs), and it would be guessed in a
// few tries anyway, so redaction cannot protect it.
const minSecretLen = 4

// redactedMark replaces every secret, or fragment of one, in a text.
const redactedMark = "[redacted]"

// secretSet is the registry of every secret a Client knows (API keys,
// header values sent and received) and the index that finds them in a
// text. Secrets are never forgotten, which bounds the set by what one
// process handles. It is safe for concurrent use.
//
// The index holds every encoded form of every secret, sorted, and every
// form reversed byte by byte, sorted too. The form sharing the longest
// prefix with the rest of a text at some position is one of the two
// neighbours of that rest in sorted order, so finding the longest fragment
// that begins a form there costs one binary search whatever the number of
// secrets; fragments that end a form are found the same way in the
// reversed text. Before searching, a bit set of the first 4 bytes of every
// form (and of every reversed form) rules out most positions at once.
// Adding a secret inserts its forms in place, so the cost of learning one
// more secret does not grow with a rebuild of the whole index.
type secretSet struct {
	mu       sync.RWMutex
	values   map[string]struct{} // every secret added
	forms    []string            // every encoded form of every secret, sorted
	reversed []string            // every form reversed, sorted
	heads    gramSet             // first minSecretLen bytes of every form
	tails    gramSet             // first minSecretLen bytes of every reversed form
}

// newSecretSet returns an empty registry.
func newSecretSet() *secretSet {
	return &secretSet{values: map[string]struct{}{}}
}

// add registers values; values shorter than minSecretLen are ignored, and
// values already known cost a map lookup.
func (s *secretSet) add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if _, known := s.values[v]; known || len(v) < minSecretLen {
			continue
		}
		s.values[v] = struct{}{}
		for _, f := range encodedForms(v) {
			if insertSorted(&s.forms, f) {
				r := reverseBytes(f)
				insertSorted(&s.reversed, r)
				s.heads.add(f)
				s.tails.add(r)
			}
		}
	}
}

// insertSorted inserts v into the sorted slice *list unless it is there
// already, and reports whether it inserted it.
func insertSorted(list *[]string, v string) bool {
	i, found := slices.BinarySearch(*list, v)
	if !found {
		*list = slices.Insert(*list, i, v)
	}
	return !found
}

// redact removes every known secret from text: each is removed raw,
// JSON-escaped (with and without HTML escaping), URL-encoded (query and
// path escaping) and HTML-escaped, and so is every fragment of at least
// minSecretLen bytes that begins or ends one of those forms, such as a key
// cut short by a proxy's error page. A nil set removes nothing, so that
// errors built outside a Client stay usable.
func (s *secretSet) redact(text string) string {
	if s == nil || len(text) < minSecretLen {
		return text
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.forms) == 0 {
		return text
	}
	spans := fragmentsAt(text, s.forms, &s.heads, func(i, n int) span { return span{i, i + n} })
	spans = append(spans, fragmentsAt(reverseBytes(text), s.reversed, &s.tails,
		func(i, n int) span { return span{len(text) - i - n, len(text) - i} })...)
	if len(spans) == 0 {
		return text
	}
	return replaceSpans(text, spans)
}

// fragmentsAt returns, for every position of text where at least
// minSecretLen bytes begin one of sorted, the span toSpan(position, length)
// of the longest such match.
func fragmentsAt(text string, sorted []string, heads *gramSet, toSpan func(i, n int) span) []span {
	var spans []span
	for i := 0; i+minSecretLen <= len(text); i++ {
		if !heads.has(text[i:]) {
			continue
		}
		if n := longestPrefix(sorted, text[i:]); n >= minSecretLen {
			spans = append(spans, toSpan(i, n))
		}
	}
	return spans
}

// gramSet is a bit set of hashed 4-byte prefixes. A clear bit proves that
// no form starts with those bytes; a set bit may be a collision.
type gramSet [1 << 16 / 64]uint64

// gram hashes the first minSecretLen bytes of s (which has at least that
// many) to a bit position.
func gram(s string) uint32 {
	x := uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
	return (x * 2654435761) >> 16
}

// add sets the bit of the first bytes of s.
func (g *gramSet) add(s string) {
	h := gram(s)
	g[h/64] |= 1 << (h % 64)
}

// has reports whether the bit of the first bytes of s is set.
func (g *gramSet) has(s string) bool {
	h := gram(s)
	return g[h/64]&(1<<(h%64)) != 0
}

// encodedForms lists how a secret may appear in a text: raw, JSON-escaped
// with and without HTML escaping (as encoding/json writes it inside a
// string), URL-encoded for a query and for a path, and HTML-escaped.
func encodedForms(v string) []string {
	return []string{v, jsonEscaped(v, true), jsonEscaped(v, false), url.QueryEscape(v), url.PathEscape(v), html.EscapeString(v)}
}

// jsonEscaped returns v as encoding/json writes it inside a string, without
// the quotes.
func jsonEscaped(v string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(v) // a string always encodes
	return strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), `"`)[1:]
}

// reverseBytes returns s with its bytes in reverse order.
func reverseBytes(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

// span is a byte range [start, end) of a text to redact.
type span struct{ start, end int }

// longestPrefix returns the length of the longest prefix of s that is also
// a prefix of one of sorted.
func longestPrefix(sorted []string, s string) int {
	i, _ := slices.BinarySearch(sorted, s)
	n := 0
	if i < len(sorted) {
		n = commonPrefix(sorted[i], s)
	}
	if i > 0 {
		n = max(n, commonPrefix(sorted[i-1], s))
	}
	return n
}

// commonPrefix returns the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// replaceSpans replaces the union of spans in text by one mark per
// contiguous run. Each span is first widened to whole runes, so that the
// result stays valid UTF-8 when a fragment ends inside a multi-byte
// character.
func replaceSpans(text string, spans []span) string {
	for i := range spans {
		spans[i] = widenToRunes(text, spans[i])
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	done := 0
	for i := 0; i < len(spans); {
		run := spans[i]
		for i++; i < len(spans) && spans[i].start <= run.end; i++ {
			run.end = max(run.end, spans[i].end)
		}
		b.WriteString(text[done:run.start])
		b.WriteString(redactedMark)
		done = run.end
	}
	b.WriteString(text[done:])
	return b.String()
}

// widenToRunes moves the bounds of sp outwards to rune boundaries of text.
func widenToRunes(text string, sp span) span {
	for sp.start > 0 && !utf8.RuneStart(text[sp.start]) {
		sp.start--
	}
	for sp.end < len(text) && !utf8.RuneStart(text[sp.end]) {
		sp.end++
	}
	return sp
}
