package fakeapi

import "net/http"

// The switches below play the readings of the questions that 360dialog's
// documentation leaves open; each Options field of that type says what is
// documented and what is a guess. The first constant of each type is
// today's behaviour and the default; Options.normalized turns an unknown
// value into it.

// EmptyDestinations is how GET /multi_webhook shows an enabled number
// without destinations.
type EmptyDestinations string

// The readings of EmptyDestinations.
const (
	EmptyDestinationsArray   EmptyDestinations = "array"   // "destinations": []
	EmptyDestinationsNull    EmptyDestinations = "null"    // "destinations": null
	EmptyDestinationsOmitted EmptyDestinations = "omitted" // no "destinations" key
)

// NoHeaders is how GET /multi_webhook shows the headers of a destination
// that has none.
type NoHeaders string

// The readings of NoHeaders.
const (
	NoHeadersObject  NoHeaders = "object"  // "headers": {}
	NoHeadersNull    NoHeaders = "null"    // "headers": null
	NoHeadersOmitted NoHeaders = "omitted" // no "headers" key
)

// DisabledBody is the body of GET /multi_webhook while the feature is
// disabled.
type DisabledBody string

// The readings of DisabledBody.
const (
	DisabledBodyMessage            DisabledBody = "message"              // {"message": MessageDisabled}
	DisabledBodyEnabledFalse       DisabledBody = "enabled-false"        // {"enabled": false}
	DisabledBodyEnabledFalseListed DisabledBody = "enabled-false-listed" // {"enabled": false, "destinations": [the hidden ones]}
)

// PatchHeaders is what PATCH /multi_webhook does with a destination's
// headers.
type PatchHeaders string

// The readings of PatchHeaders.
const (
	PatchHeadersReplace PatchHeaders = "replace" // the sent headers are all the destination has
	PatchHeadersMerge   PatchHeaders = "merge"   // the sent headers are set, the others stay
)

// WhileDisabled is what PUT, PATCH and DELETE /multi_webhook do while the
// feature is disabled.
type WhileDisabled string

// The readings of WhileDisabled.
const (
	WhileDisabledRefuse WhileDisabled = "refuse" // 409 {"message": MessageDisabled}
	WhileDisabledAccept WhileDisabled = "accept" // accepted and applied to the hidden destinations
)

// UnknownName is the answer to PATCH or DELETE of a destination name the
// number does not have.
type UnknownName string

// The readings of UnknownName.
const (
	UnknownNameNotFound   UnknownName = "404"    // 404 {"error": "Destination with name X not found"}
	UnknownNameBadRequest UnknownName = "400"    // the same text, 400
	UnknownNameAccept     UnknownName = "accept" // accepted, with no effect
)

// EnableWhileEnabled is what POST /multi_webhook {"enabled": true,
// "destinations": [...]} does to a number already enabled.
type EnableWhileEnabled string

// The readings of EnableWhileEnabled.
const (
	EnableWhileEnabledAppend EnableWhileEnabled = "append" // appends, as PUT would
	EnableWhileEnabledRefuse EnableWhileEnabled = "refuse" // ErrorAlreadyEnabled
)

// ExistingName is what POST and PUT /multi_webhook do with a destination
// whose name the number already has, hidden destinations included.
type ExistingName string

// The readings of ExistingName.
const (
	ExistingNameRefuse ExistingName = "refuse" // "Destination with name X already exists"
	ExistingNameSkip   ExistingName = "skip"   // skipped silently, the others added
)

// WebhookOmittedHeaders is what POST /v1/configs/webhook without a
// "headers" key does to the primary webhook's previous headers.
type WebhookOmittedHeaders string

// The readings of WebhookOmittedHeaders.
const (
	WebhookOmittedHeadersClear WebhookOmittedHeaders = "clear" // the webhook ends with no headers
	WebhookOmittedHeadersKeep  WebhookOmittedHeaders = "keep"  // the previous headers stay
)

// NoWebhook is the answer to GET /v1/configs/webhook of a number without a
// primary webhook.
type NoWebhook string

// The readings of NoWebhook.
const (
	NoWebhook404Meta        NoWebhook = "404-meta"         // 404 {"meta": {..., "developer_message": ErrorNoWebhook}}
	NoWebhook404Error       NoWebhook = "404-error"        // 404 {"error": ErrorNoWebhook}
	NoWebhook200EmptyURL    NoWebhook = "200-empty-url"    // 200 {"url": ""}
	NoWebhook200EmptyObject NoWebhook = "200-empty-object" // 200 {}
)

// The functions below list each switch's readings, default first, so that
// a command line can validate and show them. Each returns a new slice.

// AcceptedStatuses lists the readings of Options.AcceptedStatus.
func AcceptedStatuses() []int {
	return []int{http.StatusOK, http.StatusCreated, http.StatusAccepted}
}

// RefusalStatuses lists the readings of Options.RefusalStatus.
func RefusalStatuses() []int {
	return []int{http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity}
}

// EmptyDestinationsReadings lists the readings of EmptyDestinations.
func EmptyDestinationsReadings() []EmptyDestinations {
	return []EmptyDestinations{EmptyDestinationsArray, EmptyDestinationsNull, EmptyDestinationsOmitted}
}

// NoHeadersReadings lists the readings of NoHeaders.
func NoHeadersReadings() []NoHeaders {
	return []NoHeaders{NoHeadersObject, NoHeadersNull, NoHeadersOmitted}
}

// DisabledBodyReadings lists the readings of DisabledBody.
func DisabledBodyReadings() []DisabledBody {
	return []DisabledBody{DisabledBodyMessage, DisabledBodyEnabledFalse, DisabledBodyEnabledFalseListed}
}

// PatchHeadersReadings lists the readings of PatchHeaders.
func PatchHeadersReadings() []PatchHeaders {
	return []PatchHeaders{PatchHeadersReplace, PatchHeadersMerge}
}

// WhileDisabledReadings lists the readings of WhileDisabled.
func WhileDisabledReadings() []WhileDisabled {
	return []WhileDisabled{WhileDisabledRefuse, WhileDisabledAccept}
}

// UnknownNameReadings lists the readings of UnknownName.
func UnknownNameReadings() []UnknownName {
	return []UnknownName{UnknownNameNotFound, UnknownNameBadRequest, UnknownNameAccept}
}

// EnableWhileEnabledReadings lists the readings of EnableWhileEnabled.
func EnableWhileEnabledReadings() []EnableWhileEnabled {
	return []EnableWhileEnabled{EnableWhileEnabledAppend, EnableWhileEnabledRefuse}
}

// ExistingNameReadings lists the readings of ExistingName.
func ExistingNameReadings() []ExistingName {
	return []ExistingName{ExistingNameRefuse, ExistingNameSkip}
}

// WebhookOmittedHeadersReadings lists the readings of WebhookOmittedHeaders.
func WebhookOmittedHeadersReadings() []WebhookOmittedHeaders {
	return []WebhookOmittedHeaders{WebhookOmittedHeadersClear, WebhookOmittedHeadersKeep}
}

// NoWebhookReadings lists the readings of NoWebhook.
func NoWebhookReadings() []NoWebhook {
	return []NoWebhook{NoWebhook404Meta, NoWebhook404Error, NoWebhook200EmptyURL, NoWebhook200EmptyObject}
}

// HeaderVisibilityReadings lists the readings of HeaderVisibility.
func HeaderVisibilityReadings() []HeaderVisibility {
	return []HeaderVisibility{HeadersShown, HeadersOmitted, HeadersMasked}
}

// oneOf returns v when it is one of readings, else the first reading (the
// default).
func oneOf[T comparable](v T, readings []T) T {
	for _, r := range readings {
		if r == v {
			return v
		}
	}
	return readings[0]
}

// normalizeSwitches applies oneOf to every switch of o with readings.
func (o *Options) normalizeSwitches() {
	o.EmptyDestinations = oneOf(o.EmptyDestinations, EmptyDestinationsReadings())
	o.NoHeaders = oneOf(o.NoHeaders, NoHeadersReadings())
	o.DisabledBody = oneOf(o.DisabledBody, DisabledBodyReadings())
	o.PatchHeaders = oneOf(o.PatchHeaders, PatchHeadersReadings())
	o.WhileDisabled = oneOf(o.WhileDisabled, WhileDisabledReadings())
	o.UnknownName = oneOf(o.UnknownName, UnknownNameReadings())
	o.EnableWhileEnabled = oneOf(o.EnableWhileEnabled, EnableWhileEnabledReadings())
	o.ExistingName = oneOf(o.ExistingName, ExistingNameReadings())
	o.WebhookOmittedHeaders = oneOf(o.WebhookOmittedHeaders, WebhookOmittedHeadersReadings())
	o.NoWebhook = oneOf(o.NoWebhook, NoWebhookReadings())
	o.WebhookHeaders = oneOf(o.WebhookHeaders, HeaderVisibilityReadings())
	o.AcceptedStatus = oneOf(o.AcceptedStatus, AcceptedStatuses())
	o.RefusalStatus = oneOf(o.RefusalStatus, RefusalStatuses())
	ct := JSONContentType
	if o.ContentType != nil {
		ct = *o.ContentType
	}
	o.ContentType = &ct // a copy: the caller's string is never shared
}
