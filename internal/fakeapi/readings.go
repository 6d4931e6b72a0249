package fakeapi

import (
	"fmt"
	"net/http"
)

// Reading is one answer the documentation allows where it is silent, other
// than the fake's default: a switch of Options set to one of its other
// readings. Tests play every reading through Readings.
type Reading struct {
	Switch string // the Options field
	Value  string // the reading, as fake360's flag for the switch takes it
	Apply  func(*Options)
}

// String reads like "PatchHeaders=merge".
func (r Reading) String() string {
	return r.Switch + "=" + r.Value
}

// otherContentTypes are the content types Readings plays besides
// JSONContentType: what a Go server sends when it sets none, and none.
var otherContentTypes = []string{"text/plain; charset=utf-8", ""}

// Readings lists every reading of every switch other than its default,
// switch by switch. The settle delay is not among them: it is a duration,
// which each test chooses.
func Readings() []Reading {
	var out []Reading
	out = appendReadings(out, "EmptyDestinations", EmptyDestinationsReadings(), func(o *Options, v EmptyDestinations) { o.EmptyDestinations = v })
	out = appendReadings(out, "NoHeaders", NoHeadersReadings(), func(o *Options, v NoHeaders) { o.NoHeaders = v })
	out = appendReadings(out, "DisabledBody", DisabledBodyReadings(), func(o *Options, v DisabledBody) { o.DisabledBody = v })
	out = appendReadings(out, "DisabledStatus", []int{http.StatusConflict, http.StatusOK}, func(o *Options, v int) { o.DisabledStatus = v })
	out = appendReadings(out, "AcceptedStatus", AcceptedStatuses(), func(o *Options, v int) { o.AcceptedStatus = v })
	out = appendReadings(out, "ContentType", append([]string{JSONContentType}, otherContentTypes...), func(o *Options, v string) { o.ContentType = &v })
	out = appendReadings(out, "PatchHeaders", PatchHeadersReadings(), func(o *Options, v PatchHeaders) { o.PatchHeaders = v })
	out = appendReadings(out, "WhileDisabled", WhileDisabledReadings(), func(o *Options, v WhileDisabled) { o.WhileDisabled = v })
	out = appendReadings(out, "UnknownName", UnknownNameReadings(), func(o *Options, v UnknownName) { o.UnknownName = v })
	out = appendReadings(out, "RefusalStatus", RefusalStatuses(), func(o *Options, v int) { o.RefusalStatus = v })
	out = appendReadings(out, "EnableWhileEnabled", EnableWhileEnabledReadings(), func(o *Options, v EnableWhileEnabled) { o.EnableWhileEnabled = v })
	out = appendReadings(out, "ExistingName", ExistingNameReadings(), func(o *Options, v ExistingName) { o.ExistingName = v })
	out = appendReadings(out, "WebhookOmittedHeaders", WebhookOmittedHeadersReadings(), func(o *Options, v WebhookOmittedHeaders) { o.WebhookOmittedHeaders = v })
	out = appendReadings(out, "NoWebhook", NoWebhookReadings(), func(o *Options, v NoWebhook) { o.NoWebhook = v })
	out = appendReadings(out, "WebhookHeaders", HeaderVisibilityReadings(), func(o *Options, v HeaderVisibility) { o.WebhookHeaders = v })
	flags := []bool{false, true}
	out = appendReadings(out, "ExtraFields", flags, func(o *Options, v bool) { o.ExtraFields = v })
	out = appendReadings(out, "ClearOnDisable", flags, func(o *Options, v bool) { o.ClearOnDisable = v })
	out = appendReadings(out, "ShuffleOrder", flags, func(o *Options, v bool) { o.ShuffleOrder = v })
	out = appendReadings(out, "QueueWhilePending", flags, func(o *Options, v bool) { o.QueueWhilePending = v })
	return out
}

// appendReadings appends the readings of one switch after its default,
// the first of values.
func appendReadings[T any](out []Reading, name string, values []T, set func(*Options, T)) []Reading {
	for _, v := range values[1:] {
		out = append(out, Reading{Switch: name, Value: fmt.Sprint(v), Apply: func(o *Options) { set(o, v) }})
	}
	return out
}
