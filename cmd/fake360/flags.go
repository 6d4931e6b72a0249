package main

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// openQuestionFlags defines the flags of the questions 360dialog's
// documentation leaves open, one per fakeapi.Options field, each defaulting
// to the fake's original behaviour. It returns where -content-type is
// parsed to, for o.ContentType.
func openQuestionFlags(fs *flag.FlagSet, o *fakeapi.Options) *string {
	stringChoice(fs, &o.WebhookHeaders, "webhook-headers", fakeapi.HeaderVisibilityReadings(), "how GET /v1/configs/webhook shows header values")
	stringChoice(fs, &o.EmptyDestinations, "empty-destinations", fakeapi.EmptyDestinationsReadings(), `how GET /multi_webhook shows an enabled number without destinations: [], null or no "destinations" key`)
	stringChoice(fs, &o.NoHeaders, "no-headers", fakeapi.NoHeadersReadings(), `how GET /multi_webhook shows a destination without headers: {}, null or no "headers" key`)
	stringChoice(fs, &o.DisabledBody, "disabled-body", fakeapi.DisabledBodyReadings(), `body of GET /multi_webhook while disabled: the message, {"enabled": false}, or that listing the hidden destinations`)
	statusChoice(fs, &o.AcceptedStatus, "accepted-status", fakeapi.AcceptedStatuses(), "status of an accepted change, on both endpoints")
	contentType := new(string)
	fs.StringVar(contentType, "content-type", fakeapi.JSONContentType, `Content-Type of every JSON answer of the API; "" sends none`)
	stringChoice(fs, &o.PatchHeaders, "patch-headers", fakeapi.PatchHeadersReadings(), "whether PATCH replaces a destination's headers or merges the sent ones into them")
	stringChoice(fs, &o.WhileDisabled, "while-disabled", fakeapi.WhileDisabledReadings(), "PUT, PATCH and DELETE while disabled: refused with the disabled message, or accepted and applied to the hidden destinations")
	stringChoice(fs, &o.UnknownName, "unknown-name", fakeapi.UnknownNameReadings(), "PATCH or DELETE of a name the number lacks: refused 404 or 400, or accepted with no effect")
	statusChoice(fs, &o.RefusalStatus, "refusal-status", fakeapi.RefusalStatuses(), `status of the multi webhook's {"error"} refusals`)
	stringChoice(fs, &o.EnableWhileEnabled, "enable-while-enabled", fakeapi.EnableWhileEnabledReadings(), "POST with destinations to an enabled number: appended, or refused")
	stringChoice(fs, &o.ExistingName, "existing-name", fakeapi.ExistingNameReadings(), "a destination in POST or PUT whose name the number has: refused, or skipped")
	stringChoice(fs, &o.WebhookOmittedHeaders, "webhook-omitted-headers", fakeapi.WebhookOmittedHeadersReadings(), `POST /v1/configs/webhook without "headers": the webhook ends with none, or keeps its previous ones`)
	stringChoice(fs, &o.NoWebhook, "no-webhook", fakeapi.NoWebhookReadings(), "GET /v1/configs/webhook of a number without a primary webhook")
	fs.BoolVar(&o.ExtraFields, "extra-fields", false, "add fields the documentation does not list to every JSON object answered")
	return contentType
}

// choice is a flag.Value whose value must be one of readings.
type choice[T comparable] struct {
	p        *T
	readings []T
	parse    func(string) (T, error)
}

// String shows the current value (flag.PrintDefaults also calls it on a
// zero choice).
func (c *choice[T]) String() string {
	if c.p == nil {
		return ""
	}
	return fmt.Sprint(*c.p)
}

// Set parses s and accepts it when it is one of the readings; the flag
// package reports an error with the flag's name and the value.
func (c *choice[T]) Set(s string) error {
	v, err := c.parse(s)
	if err != nil || !slices.Contains(c.readings, v) {
		return fmt.Errorf("must be %s", orList(c.readings))
	}
	*c.p = v
	return nil
}

// choiceVar defines a flag whose value is one of readings, the first being
// the default, parsed by parse; usage is followed by the readings. -help
// shows the flag's value as placeholder.
func choiceVar[T comparable](fs *flag.FlagSet, p *T, name, placeholder string, readings []T, parse func(string) (T, error), usage string) {
	*p = readings[0]
	fs.Var(&choice[T]{p: p, readings: readings, parse: parse}, name, fmt.Sprintf("%s (`%s`: %s)", usage, placeholder, orList(readings)))
}

// stringChoice is choiceVar for the string readings of fakeapi.
func stringChoice[T ~string](fs *flag.FlagSet, p *T, name string, readings []T, usage string) {
	choiceVar(fs, p, name, "reading", readings, func(s string) (T, error) { return T(s), nil }, usage)
}

// statusChoice is choiceVar for statuses.
func statusChoice(fs *flag.FlagSet, p *int, name string, readings []int, usage string) {
	choiceVar(fs, p, name, "status", readings, strconv.Atoi, usage)
}

// orList names readings as "a, b or c".
func orList[T any](readings []T) string {
	names := make([]string, len(readings))
	for i, r := range readings {
		names[i] = fmt.Sprint(r)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
