package fakeapi

import (
	"reflect"
	"testing"
)

func TestReadingsEachChangeTheDefaults(t *testing.T) {
	defaults := New(Options{}).Options()
	seen := map[string]bool{}
	for _, r := range Readings() {
		if seen[r.String()] {
			t.Errorf("%s is listed twice", r)
		}
		seen[r.String()] = true
		s := New(Options{})
		s.SetOptions(r.Apply)
		if reflect.DeepEqual(s.Options(), defaults) {
			t.Errorf("%s leaves the options at their defaults", r)
		}
	}
	// Every switch with readings has its other readings listed.
	for name, others := range map[string]int{
		"EmptyDestinations": len(EmptyDestinationsReadings()) - 1, "NoHeaders": len(NoHeadersReadings()) - 1,
		"DisabledBody": len(DisabledBodyReadings()) - 1, "AcceptedStatus": len(AcceptedStatuses()) - 1,
		"PatchHeaders": len(PatchHeadersReadings()) - 1, "WhileDisabled": len(WhileDisabledReadings()) - 1,
		"UnknownName": len(UnknownNameReadings()) - 1, "RefusalStatus": len(RefusalStatuses()) - 1,
		"EnableWhileEnabled": len(EnableWhileEnabledReadings()) - 1, "ExistingName": len(ExistingNameReadings()) - 1,
		"WebhookOmittedHeaders": len(WebhookOmittedHeadersReadings()) - 1, "NoWebhook": len(NoWebhookReadings()) - 1,
		"WebhookHeaders": len(HeaderVisibilityReadings()) - 1, "ContentType": len(otherContentTypes),
		"DisabledStatus": 1, "ExtraFields": 1, "ClearOnDisable": 1, "ShuffleOrder": 1, "QueueWhilePending": 1,
	} {
		got := 0
		for _, r := range Readings() {
			if r.Switch == name {
				got++
			}
		}
		if got != others {
			t.Errorf("%s: %d readings listed, want %d", name, got, others)
		}
	}
}
