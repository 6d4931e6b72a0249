package bench

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"

	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// maxDestinations is 360dialog's cap per number, which the walk respects
// so that every configuration it produces is valid.
const maxDestinations = 3

// destNames and headerNames are the pools the walk draws from. They are few,
// so renames and re-adds often reuse a name that existed before: the cases
// where a lost or duplicated destination would show.
var (
	destNames   = []string{"crm", "analytics", "audit", "backup", "ops"}
	headerNames = []string{"Authorization", "X-Team", "X-Trace"}
)

// Walk is the seeded random sequence of configurations of the soak.
type Walk struct {
	rng     *rand.Rand
	Numbers []Number
	version int // grows with every edit, so each new url or header value is unique
}

// NewWalk declares count numbers called n00, n01, ... with keys built from
// keyPrefix, each enabled (most) or disabled with up to 3 destinations.
func NewWalk(seed uint64, count int, keyPrefix string) *Walk {
	w := &Walk{rng: rand.New(rand.NewPCG(seed, 0x50a4))}
	for i := range count {
		n := Number{
			Name:         fmt.Sprintf("n%02d", i),
			Key:          fmt.Sprintf("%s-%02d", keyPrefix, i),
			Enabled:      w.rng.IntN(5) > 0,
			Destinations: map[string]hclconfig.Destination{},
		}
		for range w.rng.IntN(maxDestinations + 1) {
			w.add(&n)
		}
		w.Numbers = append(w.Numbers, n)
	}
	return w
}

// Step edits between one and four numbers, one random edit each, and
// returns what it did, for the log of the soak.
func (w *Walk) Step() []string {
	var did []string
	for _, i := range w.rng.Perm(len(w.Numbers))[:1+w.rng.IntN(4)] {
		n := &w.Numbers[i]
		did = append(did, n.Name+": "+w.edit(n))
	}
	return did
}

// edit applies one edit that fits the number and describes it.
func (w *Walk) edit(n *Number) string {
	names := slices.Sorted(maps.Keys(n.Destinations))
	type option struct {
		ok bool
		do func() string
	}
	options := []option{
		{len(names) < maxDestinations, func() string { return "add " + w.add(n) }},
		{len(names) > 0, func() string { return w.remove(n, names) }},
		{len(names) > 0 && len(names) < len(destNames), func() string { return w.rename(n, names) }},
		{len(names) > 0, func() string { return w.moveURL(n, names) }},
		{len(names) > 0, func() string { return w.editHeader(n, names) }},
		{true, func() string { n.Enabled = !n.Enabled; return fmt.Sprintf("enabled = %t", n.Enabled) }},
	}
	for {
		if o := options[w.rng.IntN(len(options))]; o.ok {
			return o.do()
		}
	}
}

// add declares a destination under a free name and returns the name.
func (w *Walk) add(n *Number) string {
	name := w.freeName(n)
	n.Destinations[name] = hclconfig.Destination{URL: w.url(name), Headers: w.headers()}
	return name
}

// remove drops one destination.
func (w *Walk) remove(n *Number, names []string) string {
	name := names[w.rng.IntN(len(names))]
	delete(n.Destinations, name)
	return "remove " + name
}

// rename moves one destination, url and headers unchanged, to a free name.
func (w *Walk) rename(n *Number, names []string) string {
	from := names[w.rng.IntN(len(names))]
	to := w.freeName(n)
	n.Destinations[to] = n.Destinations[from]
	delete(n.Destinations, from)
	return "rename " + from + " to " + to
}

// moveURL gives one destination a new url.
func (w *Walk) moveURL(n *Number, names []string) string {
	name := names[w.rng.IntN(len(names))]
	d := n.Destinations[name]
	d.URL = w.url(name)
	n.Destinations[name] = d
	return "new url for " + name
}

// editHeader sets, changes or removes one header of one destination.
func (w *Walk) editHeader(n *Number, names []string) string {
	name := names[w.rng.IntN(len(names))]
	d := n.Destinations[name]
	h := maps.Clone(d.Headers)
	header := headerNames[w.rng.IntN(len(headerNames))]
	verb := "set"
	if _, ok := h[header]; ok && w.rng.IntN(2) == 0 {
		delete(h, header)
		verb = "remove"
	} else {
		h[header] = w.secret()
	}
	d.Headers = h
	n.Destinations[name] = d
	return fmt.Sprintf("%s header %s of %s", verb, header, name)
}

// freeName picks a destination name the number does not use.
func (w *Walk) freeName(n *Number) string {
	var free []string
	for _, name := range destNames {
		if _, used := n.Destinations[name]; !used {
			free = append(free, name)
		}
	}
	return free[w.rng.IntN(len(free))]
}

// url returns a new valid webhook url.
func (w *Walk) url(name string) string {
	w.version++
	return fmt.Sprintf("https://%s.example.com/hook/v%d", name, w.version)
}

// headers returns none or one header.
func (w *Walk) headers() map[string]string {
	h := map[string]string{}
	if w.rng.IntN(2) == 0 {
		h[headerNames[w.rng.IntN(len(headerNames))]] = w.secret()
	}
	return h
}

// secret returns a new header value.
func (w *Walk) secret() string {
	w.version++
	return fmt.Sprintf("Bearer soak-%d", w.version)
}
