package client

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// These assignments pin the exported surface the provider package codes
// against: a change of any signature breaks this file's compilation.
var (
	_ func(Options) (*Client, error)                                               = New
	_ func(string) string                                                          = Fingerprint
	_ func(*Client, string) *Channel                                               = (*Client).Channel
	_ func(*Channel) string                                                        = (*Channel).ID
	_ func(*Channel, context.Context) (*Config, error)                             = (*Channel).Get
	_ func(*Channel, context.Context, bool, []Destination) error                   = (*Channel).SetEnabled
	_ func(*Channel, context.Context, []Destination) error                         = (*Channel).Append
	_ func(*Channel, context.Context, Destination) error                           = (*Channel).Update
	_ func(*Channel, context.Context, string) error                                = (*Channel).Delete
	_ func(*Channel, context.Context, string, func(*Config) bool) (*Config, error) = (*Channel).WaitFor
	_ func(*Channel, context.Context) (func(), error)                              = (*Channel).Lock
	_ func(*Config, string) (Destination, bool)                                    = (*Config).Find
	_ func(error) bool                                                             = IsTransient
	_ func(error) bool                                                             = IsValidation
	_ func(error) bool                                                             = IsAuth
	_ func(error) bool                                                             = IsNotFound
	_ error                                                                        = (*APIError)(nil)
	_ error                                                                        = (*WaitTimeoutError)(nil)
	_ Logger                                                                       = (*recLogger)(nil)
)

func TestContractTypes(t *testing.T) {
	// Composite literals with field names fail to compile if a field is
	// renamed or retyped.
	_ = Destination{Name: "", URL: "", Headers: map[string]string{}}
	_ = Config{Enabled: true, Destinations: []Destination{}}
	_ = Options{BaseURL: "", UserAgent: "", HTTPClient: &http.Client{}, Logger: nil, Retry: RetryPolicy{}, Poll: PollPolicy{}}
	_ = RetryPolicy{MaxAttempts: 1, WaitMin: time.Second, WaitMax: time.Second, RetryAfterMax: time.Second}
	_ = PollPolicy{Initial: time.Second, Factor: 1, Max: time.Second, Jitter: 0}
	_ = APIError{Method: "", Path: "", StatusCode: 0, Message: "", Kind: KindUnknown, Attempts: 0}
	_ = WaitTimeoutError{What: "", Waited: 0, Polls: 0, Last: nil, Cause: nil}
	kinds := []ErrorKind{KindUnknown, KindTransient, KindValidation, KindAuth, KindNotFound, KindDisabled}
	for i, k := range kinds {
		if int(k) != i {
			t.Errorf("kind %s = %d, want %d (the contract's iota order)", k, int(k), i)
		}
	}
}
