package live

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// The environment the suite reads. Nothing is sent to any API unless
// envOptIn is "1" and a key is given.
const (
	envOptIn          = "D360_LIVE"                 // "1": a person asked for the live suite
	envRequired       = "D360_LIVE_REQUIRED"        // "1" (set by make testacc-live): refuse, not skip, without the opt-in
	envKey            = "D360_LIVE_API_KEY"         // the key of the number the suite may change
	envBaseURL        = "D360_BASE_URL"             // default defaultBaseURL
	envPrimary        = "D360_LIVE_PRIMARY"         // "1": also change the primary webhook
	envWebhookURL     = "D360_LIVE_WEBHOOK_URL"     // the primary webhook's URL while the suite runs
	envDestinationURL = "D360_LIVE_DESTINATION_URL" // where the test destinations point
	envRecord         = "D360_LIVE_RECORD"          // where the record of answers goes
)

// Defaults of the settings.
const (
	defaultBaseURL        = "https://waba-v2.360dialog.io"
	defaultDestinationURL = "https://example.com/d360-tfacc"
	defaultRecord         = ".tools/live/record.json" // relative to the repository
)

// namePrefix starts the name of every destination the suite creates; the
// sweeper removes destinations by it.
const namePrefix = "tfacc-"

// Bounds of the suite's own waits (its probes, snapshot and restore): the
// provider's waits keep their real timeouts.
const (
	pollEvery  = 500 * time.Millisecond
	waitAtMost = 2 * time.Minute
)

// howToRun is the message of a run without the opt-in.
const howToRun = `The live acceptance suite did not run: D360_LIVE is not "1".
It changes the webhooks of a real 360dialog number and puts them back at the
end. To run it against a number you may change:

  D360_LIVE=1 D360_LIVE_API_KEY=<the number's API key> make testacc-live

Add D360_LIVE_PRIMARY=1 to include the primary webhook (d360_webhook), which
reroutes the number's notifications while the suite runs. make sweep-live
removes leftover destinations named tfacc-*. See
docs/guides/live-acceptance-tests.md for what it touches.`

// errNoOptIn says that nobody asked for the live suite; whoever reports
// it prints howToRun.
var errNoOptIn = errors.New(envOptIn + ` is not "1"`)

// settings is what the suite was asked to do.
type settings struct {
	baseURL        string
	key            string
	primary        bool
	webhookURL     string // "" = derived from the number's current one (see primaryURL)
	destinationURL string
	recordPath     string
}

// settingsFrom reads the settings; errNoOptIn without the opt-in, another
// error when the opt-in is there but the rest is not usable.
func settingsFrom(getenv func(string) string) (settings, error) {
	if getenv(envOptIn) != "1" {
		return settings{}, errNoOptIn
	}
	s := settings{
		baseURL:        orDefault(getenv(envBaseURL), defaultBaseURL),
		key:            getenv(envKey),
		primary:        getenv(envPrimary) == "1",
		webhookURL:     getenv(envWebhookURL),
		destinationURL: orDefault(getenv(envDestinationURL), defaultDestinationURL),
		recordPath:     orDefault(getenv(envRecord), defaultRecord),
	}
	if s.key == "" {
		return settings{}, fmt.Errorf("%s=1 but %s is empty: set it to the API key of the number the suite may change", envOptIn, envKey)
	}
	if u, err := url.Parse(s.baseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return settings{}, fmt.Errorf("%s must be an absolute http or https URL without credentials", envBaseURL)
	}
	if err := checkHTTPS(envDestinationURL, s.destinationURL); err != nil {
		return settings{}, err
	}
	if s.webhookURL != "" {
		if err := checkHTTPS(envWebhookURL, s.webhookURL); err != nil {
			return settings{}, err
		}
	}
	return s, nil
}

// checkHTTPS accepts an absolute https URL without credentials, query or
// fragment; the error names the variable, never the value.
func checkHTTPS(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%s must be an absolute https URL without credentials, query or fragment", name)
	}
	return nil
}

// orDefault is v, or def when v is empty.
func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// hostOf is the host of a URL, the only part of it the suite prints: the
// rest may carry credentials.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(unparsable URL)"
	}
	return u.Hostname()
}

// markedURL is raw with tfacc=mark added to its query: the same receiver,
// told apart in GET.
func markedURL(raw, mark string) string {
	sep := "?"
	if strings.Contains(raw, "?") {
		sep = "&"
	}
	return raw + sep + "tfacc=" + url.QueryEscape(mark)
}
