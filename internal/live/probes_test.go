package live

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// The questions the probes answer by watching 360dialog (the record's
// behaviours); DESIGN.md's table of what the documentation leaves open
// lists the readings.
const (
	askPatchHeaders     = "PATCH /multi_webhook: a header left out of the request"
	askWhileDisabled    = "PUT, PATCH and DELETE /multi_webhook while disabled"
	askAfterDisable     = "destinations after a disable and an enable"
	askEnableWhileOn    = "POST /multi_webhook enabling an enabled number with destinations"
	askExistingName     = "PUT /multi_webhook with a name the number has"
	askWebhookHeaders   = "GET /v1/configs/webhook: header values"
	askWebhookNoHeaders = "POST /v1/configs/webhook without headers: the previous headers"
)

// wireDestination is a destination as the probes send it.
type wireDestination struct {
	Name    string            `json:"name"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
}

// probeRun is the state of one run of the probes.
type probeRun struct {
	t    *testing.T
	ctx  context.Context
	send *sender
	num  *client.Number
	dest string // the base of the destinations' URLs

	barriers int // barriers made so far
}

// TestLiveProbes provokes, one after the other, every situation in which
// the documentation leaves 360dialog's answer open, and records each
// answer's shape and what 360dialog did. It starts from the number with no
// destinations, enabled, and leaves it so.
func TestLiveProbes(t *testing.T) {
	run := liveRun(t)
	p := &probeRun{t: t, ctx: t.Context(), send: newSender(run.settings, run.record), num: run.num, dest: run.settings.destinationURL}
	p.clear()
	p.multiWebhook()
	p.disabled()
	p.auth()
	p.clear()
	if run.snap.primarySkip != "" {
		t.Logf("primary webhook probes skipped: %s", run.snap.primarySkip)
		return
	}
	p.webhook(run.primaryURL)
}

// dest returns a probe destination.
func (p *probeRun) destination(name, path string, headers map[string]string) wireDestination {
	if headers == nil {
		headers = map[string]string{}
	}
	return wireDestination{Name: namePrefix + "probe-" + name, URL: p.dest + "/" + path, Headers: headers}
}

// must sends a probe and fails the test on a network error.
func (p *probeRun) must(pr probe) answer {
	p.t.Helper()
	a, err := p.send.send(p.ctx, pr)
	if err != nil {
		p.t.Fatal(err)
	}
	return a
}

// await waits until GET /multi_webhook shows what done wants.
func (p *probeRun) await(what string, done func(*client.MultiWebhook) bool) *client.MultiWebhook {
	p.t.Helper()
	cfg, err := waitForMultiWebhook(p.ctx, p.num, what, done)
	if err != nil {
		p.t.Fatal(err)
	}
	return cfg
}

// clear leaves the number enabled with no destinations.
func (p *probeRun) clear() {
	p.t.Helper()
	cfg, err := p.num.GetMultiWebhook(p.ctx)
	if err == nil && !cfg.Enabled {
		cfg, err = enableBare(p.ctx, p.num)
	}
	if err != nil {
		p.t.Fatal(err)
	}
	for _, d := range cfg.Destinations {
		if err := deleteDestination(p.ctx, p.num, d.Name); err != nil {
			p.t.Fatal(err)
		}
	}
}

// get records GET /multi_webhook in a situation.
func (p *probeRun) get(situation string) {
	p.must(probe{method: "GET", path: "/multi_webhook", endpoint: "/multi_webhook", situation: situation})
}

// change records a change of /multi_webhook in a situation.
func (p *probeRun) change(method, situation string, body any) answer {
	return p.must(probe{method: method, path: "/multi_webhook", endpoint: "/multi_webhook", situation: situation, body: body})
}

// deleteName records DELETE /multi_webhook/{name} in a situation.
func (p *probeRun) deleteName(name, situation string) answer {
	return p.must(probe{method: "DELETE", path: "/multi_webhook/" + url.PathEscape(name), endpoint: "/multi_webhook/{name}", situation: situation})
}

// shows reports whether cfg holds every destination exactly as given.
func shows(cfg *client.MultiWebhook, dests ...wireDestination) bool {
	wanted := make([]client.Destination, len(dests))
	for i, d := range dests {
		wanted[i] = client.Destination{Name: d.Name, URL: d.URL, Headers: d.Headers}
	}
	return showsAll(cfg, wanted)
}

// barrier makes a change that is sure to show and waits for it, so that
// every change accepted before it has settled too: 360dialog applies a
// number's changes in order. It points d at a URL of its own.
func (p *probeRun) barrier(d *wireDestination) {
	p.t.Helper()
	p.barriers++
	d.URL = fmt.Sprintf("%s/barrier-%d", p.dest, p.barriers)
	if err := p.num.PatchDestination(p.ctx, client.Destination{Name: d.Name, URL: d.URL, Headers: d.Headers}); err != nil {
		p.t.Fatal(err)
	}
	p.await("the barrier to show", func(c *client.MultiWebhook) bool {
		got, ok := c.Find(d.Name)
		return ok && got.URL == d.URL
	})
}

// multiWebhook probes the enabled number: lists, appends, refusals, a PATCH
// and names it does not have.
func (p *probeRun) multiWebhook() {
	p.get("enabled, no destinations")
	a := p.destination("a", "a", map[string]string{"X-Tfacc": "1", "X-Tfacc-Gone": "1"})
	b := p.destination("b", "b", nil)
	p.change("PUT", "new destinations", map[string]any{"destinations": []wireDestination{a, b}})
	p.await("the new destinations to show", func(c *client.MultiWebhook) bool { return shows(c, a, b) })
	p.get("enabled, destinations with and without headers")

	p.existingName(a, &b)
	c, d := p.destination("c", "c", nil), p.destination("d", "d", nil)
	if p.change("PUT", "more than 3 destinations", map[string]any{"destinations": []wireDestination{c, d}}).accepted() {
		p.barrier(&b)
		p.clearNames(c.Name, d.Name)
	}
	e := p.destination("e", "e", nil)
	if p.change("PUT", "names not unique", map[string]any{"destinations": []wireDestination{e, e}}).accepted() {
		p.barrier(&b)
		p.clearNames(e.Name)
	}
	p.must(probe{method: "PUT", path: "/multi_webhook", endpoint: "/multi_webhook", situation: "invalid JSON", raw: `{"destinations": [`})

	p.patchHeaders(&a)
	p.unknownNames(&b)
	p.enableWhileEnabled(&b)
}

// existingName sends a PUT carrying a name the number has, with another url.
func (p *probeRun) existingName(a wireDestination, b *wireDestination) {
	again := a
	again.URL = p.dest + "/a-again"
	if !p.change("PUT", "a name the number has", map[string]any{"destinations": []wireDestination{again}}).accepted() {
		p.send.rec.Observe(askExistingName, "refused")
		return
	}
	p.barrier(b)
	cfg := p.await("the number to show the name", func(c *client.MultiWebhook) bool { _, ok := c.Find(a.Name); return ok })
	got, _ := cfg.Find(a.Name)
	if got.URL == again.URL {
		p.send.rec.Observe(askExistingName, "replaced")
		return
	}
	p.send.rec.Observe(askExistingName, "skipped")
}

// patchHeaders changes a's url and one header's value and leaves another
// header out, then watches what the PATCH did to the header left out.
func (p *probeRun) patchHeaders(a *wireDestination) {
	a.URL = p.dest + "/a-patched"
	a.Headers = map[string]string{"X-Tfacc": "2"}
	p.change("PATCH", "a name the number has", a)
	cfg := p.await("the PATCH to show", func(c *client.MultiWebhook) bool {
		got, ok := c.Find(a.Name)
		return ok && got.URL == a.URL
	})
	got, _ := cfg.Find(a.Name)
	switch _, kept := got.Headers["X-Tfacc-Gone"]; {
	case kept:
		p.send.rec.Observe(askPatchHeaders, "kept (merge)")
		a.Headers = got.Headers
	default:
		p.send.rec.Observe(askPatchHeaders, "removed (replace)")
	}
}

// unknownNames sends a PATCH and a DELETE of a name the number does not have.
func (p *probeRun) unknownNames(b *wireDestination) {
	ghost := p.destination("ghost", "ghost", nil)
	patched := p.change("PATCH", "a name the number does not have", ghost).accepted()
	deleted := p.deleteName(ghost.Name, "a name the number does not have").accepted()
	if patched || deleted {
		p.barrier(b)
		p.clearNames(ghost.Name)
	}
}

// enableWhileEnabled sends POST enabled=true with a new destination to the
// enabled number.
func (p *probeRun) enableWhileEnabled(b *wireDestination) {
	f := p.destination("f", "f", nil)
	if !p.change("POST", "enable an enabled number, with a new destination", map[string]any{"enabled": true, "destinations": []wireDestination{f}}).accepted() {
		p.send.rec.Observe(askEnableWhileOn, "refused")
		return
	}
	p.barrier(b)
	cfg := p.await("the number to settle", func(c *client.MultiWebhook) bool { return c.Enabled })
	if _, added := cfg.Find(f.Name); added {
		p.send.rec.Observe(askEnableWhileOn, "accepted, destination added")
		p.clearNames(f.Name)
		return
	}
	p.send.rec.Observe(askEnableWhileOn, "accepted, nothing added")
}

// clearNames deletes the named destinations the number shows.
func (p *probeRun) clearNames(names ...string) {
	p.t.Helper()
	cfg := p.await("the number to be enabled", func(c *client.MultiWebhook) bool { return c.Enabled })
	for _, name := range names {
		if _, ok := cfg.Find(name); !ok {
			continue
		}
		if err := deleteDestination(p.ctx, p.num, name); err != nil {
			p.t.Fatal(err)
		}
	}
}

// disabled probes the disabled number: GET, the changes, and what an
// enable finds afterwards.
func (p *probeRun) disabled() {
	cfg := p.await("the number to be enabled", func(c *client.MultiWebhook) bool { return c.Enabled })
	if len(cfg.Destinations) == 0 {
		p.t.Fatal("the probes of a disabled number need a destination to survive the disable")
	}
	kept := cfg.Destinations[len(cfg.Destinations)-1].Name
	p.change("POST", "disable", map[string]any{"enabled": false})
	p.await("the number to be disabled", func(c *client.MultiWebhook) bool { return !c.Enabled })
	p.get("disabled")

	g := p.destination("g", "g", nil)
	accepted := p.change("PUT", "while disabled", map[string]any{"destinations": []wireDestination{g}}).accepted()
	accepted = p.change("PATCH", "while disabled", p.destination("ghost", "ghost", nil)).accepted() || accepted
	accepted = p.deleteName(namePrefix+"probe-ghost", "while disabled").accepted() || accepted
	p.send.rec.Observe(askWhileDisabled, map[bool]string{true: "accepted", false: "refused"}[accepted])

	p.change("POST", "enable, no destinations", map[string]any{"enabled": true})
	cfg = p.await("the number to be enabled", func(c *client.MultiWebhook) bool { return c.Enabled })
	if _, ok := cfg.Find(kept); !ok {
		p.send.rec.Observe(askAfterDisable, "cleared")
		return
	}
	p.send.rec.Observe(askAfterDisable, "kept")
	p.survivorEnable(cfg.Destinations[0])
}

// survivorEnable disables the number again and enables it with a
// destination named as one that survives the disable.
func (p *probeRun) survivorEnable(survivor client.Destination) {
	p.change("POST", "disable", map[string]any{"enabled": false})
	p.await("the number to be disabled", func(c *client.MultiWebhook) bool { return !c.Enabled })
	again := wireDestination{Name: survivor.Name, URL: p.dest + "/survivor", Headers: map[string]string{}}
	if p.change("POST", "enable with a name that survived the disable", map[string]any{"enabled": true, "destinations": []wireDestination{again}}).accepted() {
		p.await("the number to be enabled", func(c *client.MultiWebhook) bool { return c.Enabled })
		return
	}
	p.change("POST", "enable, no destinations", map[string]any{"enabled": true})
	p.await("the number to be enabled", func(c *client.MultiWebhook) bool { return c.Enabled })
}

// auth probes GET without a key and with a key 360dialog does not know.
func (p *probeRun) auth() {
	none, unknown := "", "tfacc-not-a-key"
	p.send.rec.Secret(unknown)
	p.must(probe{method: "GET", path: "/multi_webhook", endpoint: "/multi_webhook", situation: "no API key", key: &none})
	p.must(probe{method: "GET", path: "/multi_webhook", endpoint: "/multi_webhook", situation: "an API key 360dialog does not know", key: &unknown})
}

// webhook probes the primary webhook: GET, a POST with headers and one
// without, a refused POST. hookURL is the URL the suite may set.
func (p *probeRun) webhook(hookURL string) {
	get := func(situation string) {
		p.must(probe{method: "GET", path: "/v1/configs/webhook", endpoint: "/v1/configs/webhook", situation: situation})
	}
	post := func(situation string, body any) answer {
		return p.must(probe{method: "POST", path: "/v1/configs/webhook", endpoint: "/v1/configs/webhook", situation: situation, body: body})
	}
	get("as the number has it")
	withHeaders := markedURL(hookURL, "1")
	post("with headers", map[string]any{"url": withHeaders, "headers": map[string]string{"X-Tfacc": "1"}})
	w := p.awaitWebhook(withHeaders)
	get("with headers")
	p.send.rec.Observe(askWebhookHeaders, describeVisibility(w))

	without := markedURL(hookURL, "2")
	post("without headers", map[string]any{"url": without})
	w = p.awaitWebhook(without)
	switch {
	case w.HeadersHidden:
		p.send.rec.Observe(askWebhookNoHeaders, "unknown: header values not shown")
	case len(w.Headers) == 0:
		p.send.rec.Observe(askWebhookNoHeaders, "cleared")
	default:
		p.send.rec.Observe(askWebhookNoHeaders, "kept")
	}
	if post("an invalid url", map[string]any{"url": "https://tfacc_invalid.example.com/hook", "headers": map[string]string{}}).accepted() {
		p.awaitWebhook("https://tfacc_invalid.example.com/hook")
	}
	none := ""
	p.must(probe{method: "GET", path: "/v1/configs/webhook", endpoint: "/v1/configs/webhook", situation: "no API key", key: &none})
}

// awaitWebhook waits until GET shows the primary webhook at u.
func (p *probeRun) awaitWebhook(u string) *client.Webhook {
	p.t.Helper()
	w, err := waitForWebhook(p.ctx, p.num, "the primary webhook to show its new url", func(w *client.Webhook) bool { return w != nil && w.URL == u })
	if err != nil {
		p.t.Fatal(err)
	}
	return w
}

// describeVisibility says how GET showed header values that were set.
func describeVisibility(w *client.Webhook) string {
	switch {
	case w.HeadersHidden && w.Headers == nil:
		return "hidden (omitted or masked)"
	case w.Headers["X-Tfacc"] == "1":
		return "shown"
	}
	return fmt.Sprintf("other (%d headers shown)", len(w.Headers))
}
