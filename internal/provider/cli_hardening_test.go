package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// misbehavingRun is a cliRun whose fake answers through a Misbehaving
// handler.
type misbehavingRun struct {
	*cliRun
	bad *fakeapi.Misbehaving
}

// newMisbehavingRun starts a fake behind a Misbehaving handler and a CLI
// workspace at TF_LOG=TRACE.
func newMisbehavingRun(t *testing.T, env ...string) *misbehavingRun {
	skipUnlessAcc(t)
	t.Parallel()
	fake := fakeapi.New(fakeapi.Options{SettleDelay: 20 * time.Millisecond})
	bad := fakeapi.NewMisbehaving(fake)
	return &misbehavingRun{cliRun: cliRunOn(t, newAccEnvWithHandler(t, fake, bad), env...), bad: bad}
}

// TestAccCLI_echoedSecretsRedacted lets the API (or a proxy in front of
// it) answer every change with an error that repeats the request: raw,
// JSON-escaped, URL-encoded, and as an HTML page showing the API key cut
// short. The error the CLI shows carries the API's words, but no output,
// TRACE log, state or saved plan holds the key or a header value in any
// form; write-only values are in the request too where the CLI has them.
func TestAccCLI_echoedSecretsRedacted(t *testing.T) {
	key := randomSecret(t, "key")
	r := newMisbehavingRun(t, "D360_API_KEY="+key)
	// Plain header values are in the state and the saved plan by design;
	// the key and write-only values (from an ephemeral variable, as a
	// literal would be in the plan's copy of the configuration) nowhere.
	everywhere := map[string]string{"API key": key}
	logged := map[string]string{"API key": key, "header value": "Bearer " + randomSecret(t, "hv"),
		"primary header value": randomSecret(t, "pv")}
	variable, writeOnly := "", ""
	if atLeast(r.info.Version, "1.11") {
		everywhere["write-only value"] = "Bearer " + randomSecret(t, "wo")
		logged["write-only value"] = everywhere["write-only value"]
		r.ws.Env = append(r.ws.Env, "TF_VAR_signature="+everywhere["write-only value"])
		variable = "variable \"signature\" {\n  type      = string\n  ephemeral = true\n}\n"
		writeOnly = "\n      headers_wo = { X-Signature = var.signature }"
	}
	r.ws.WriteConfig(clitest.RequiredProviders + variable + fmt.Sprintf(`
provider "d360" {
  base_url = %q
}

resource "d360_multi_webhook" "test" {
  destinations = {
    crm = {
      url        = "https://crm.example.com/whatsapp"
      headers    = { Authorization = %q }%s
    }
  }
}

resource "d360_webhook" "test" {
  url     = "https://app.example.com/whatsapp"
  headers = { X-App-Token = %q }
}
`, r.env.url, logged["header value"], writeOnly, logged["primary header value"]))
	for _, m := range []fakeapi.Misbehaviour{
		{Mode: fakeapi.EchoRaw}, {Mode: fakeapi.EchoJSON}, {Mode: fakeapi.EchoURLEncoded},
		{Mode: fakeapi.EchoHTMLPage, KeyCut: 13}, {Mode: fakeapi.EchoHTMLPage, KeyCut: 21},
	} {
		r.bad.Set(m)
		r.must("plan", "-input=false", "-no-color", "-out=echo.tfplan")
		r.failsWith([]string{`Error Creating Multi Webhook.*HTTP 4`, `Error Creating Webhook.*HTTP 4`},
			"apply", "-input=false", "-no-color", "echo.tfplan")
	}
	r.checkNoSecret(everywhere)
	r.scan.check(logged, "CLI output", "trace.log")
}

// TestAccCLI_redirectNotFollowed answers every request with a redirect to
// another origin: the provider follows none, says so naming the host only
// (never the query), and the other origin receives nothing, neither the
// key nor a destination's headers.
func TestAccCLI_redirectNotFollowed(t *testing.T) {
	key := randomSecret(t, "key")
	r := newMisbehavingRun(t, "D360_API_KEY="+key)
	var stolen atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { stolen.Add(1) }))
	t.Cleanup(elsewhere.Close)
	host := strings.TrimPrefix(elsewhere.URL, "http://")
	r.ws.WriteConfig(clitest.RequiredProviders + r.env.providerBlock("") +
		multiWebhookHCL(map[string]dest{"crm": {URL: crm.URL, Headers: map[string]string{"Authorization": "Bearer x-token-value"}}}))
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		r.bad.Set(fakeapi.Misbehaviour{Mode: fakeapi.Redirect, RedirectStatus: status, RedirectTo: elsewhere.URL + "/steal?query-secret=abc"})
		r.fails(fmt.Sprintf(`Error Creating Multi Webhook.*HTTP %d.*%s.*does not follow redirects`, status, host),
			"apply", "-auto-approve", "-input=false", "-no-color")
	}
	if n := stolen.Load(); n != 0 {
		t.Errorf("the other origin received %d requests", n)
	}
	r.checkNoSecret(map[string]string{"API key": key, "redirect query": "query-secret=abc"})
}

// TestAccCLI_hungReadBounded lets the API never answer a GET: a refresh
// ends within the resource's read timeout with a clear error, instead of
// after every attempt's own timeout.
func TestAccCLI_hungReadBounded(t *testing.T) {
	key := randomSecret(t, "key")
	r := newMisbehavingRun(t, "D360_API_KEY="+key)
	r.ws.WriteConfig(clitest.RequiredProviders + r.env.providerBlock("") +
		multiWebhookHCL(map[string]dest{"crm": {URL: crm.URL}}, `timeouts = { read = "3s" }`))
	r.must("apply", "-auto-approve", "-input=false", "-no-color")
	r.bad.Set(fakeapi.Misbehaviour{Mode: fakeapi.HangGets})
	start := time.Now()
	r.fails(`Error Reading Multi Webhook.*GET /multi_webhook: no answer within the time allowed.*The timeout is 3s`,
		"plan", "-input=false", "-no-color")
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("the plan took %s with a read timeout of 3s", took)
	}
}

// TestAccCLI_malformedAnswersRefused answers in shapes the documentation
// does not allow: a change answered 200 with a body that is not JSON, or
// that is cut short, and a GET listing a destination without a name or a
// url, or no list at all. Each ends the run at once with an error saying
// what came back, and none becomes data.
func TestAccCLI_malformedAnswersRefused(t *testing.T) {
	key := randomSecret(t, "key")
	r := newMisbehavingRun(t, "D360_API_KEY="+key)
	r.ws.WriteConfig(clitest.RequiredProviders + r.env.providerBlock("") +
		multiWebhookHCL(map[string]dest{"crm": {URL: crm.URL}}))
	for mode, want := range map[fakeapi.MisbehaveMode]string{
		fakeapi.ChangeNotJSON:       `Error Creating Multi Webhook.*POST /multi_webhook: HTTP 200: unexpected answer.*not JSON`,
		fakeapi.ChangeMalformedJSON: `Error Creating Multi Webhook.*POST /multi_webhook: HTTP 200: unexpected answer`,
	} {
		r.bad.Set(fakeapi.Misbehaviour{Mode: mode})
		start := time.Now()
		r.fails(want, "apply", "-auto-approve", "-input=false", "-no-color")
		if took := time.Since(start); took > 30*time.Second {
			t.Errorf("mode %d: the apply took %s to refuse the answer", mode, took)
		}
	}
	r.bad.Set(fakeapi.Misbehaviour{})
	r.must("apply", "-auto-approve", "-input=false", "-no-color")
	for mode, want := range map[fakeapi.MisbehaveMode]string{
		fakeapi.GetDestinationsNotArray:   `Error Reading Multi Webhook.*GET /multi_webhook.*unexpected answer.*destinations`,
		fakeapi.GetDestinationWithoutName: `Error Reading Multi Webhook.*destination 2 has no name`,
		fakeapi.GetDestinationWithoutURL:  `Error Reading Multi Webhook.*destination 1 has no url`,
	} {
		r.bad.Set(fakeapi.Misbehaviour{Mode: mode})
		r.fails(want, "plan", "-input=false", "-no-color")
	}
	r.bad.Set(fakeapi.Misbehaviour{})
	if !r.planEmpty() {
		t.Error("the state took a malformed answer as data")
	}
}

// TestAccCLI_webhookDestroyWarns destroys a d360_webhook: the CLI shows
// the warning that the primary webhook stays, and it does.
func TestAccCLI_webhookDestroyWarns(t *testing.T) {
	key := randomSecret(t, "key")
	r := newCLIRun(t, fakeapi.Options{}, "D360_API_KEY="+key)
	r.ws.WriteConfig(clitest.RequiredProviders + r.env.providerBlock("") + primaryHCL(appURL, nil, nil))
	r.must("apply", "-auto-approve", "-input=false", "-no-color")
	r.env.resetLog()
	out := r.must("destroy", "-auto-approve", "-input=false", "-no-color")
	if !wordsRegexp(`Warning: Primary Webhook Left in Place.*still delivers its notifications to ` + appURL).MatchString(out.Stdout + out.Stderr) {
		t.Errorf("destroy did not warn that the primary webhook stays:\n%s", out.Stdout)
	}
	if err := fakeChecks(r.env.expectWebhookPOSTs(0), r.env.expectFakeWebhook(key, appURL, nil))(); err != nil {
		t.Error(err)
	}
}
