package bench

import (
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

func TestSplitTraffic(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	id, other := fakeapi.Fingerprint("k"), fakeapi.Fingerprint("other")
	reqs := []fakeapi.Request{
		{Time: at(0), Method: "GET", Fingerprint: id, Status: 200},                            // refresh
		{Time: at(1), Method: "GET", Fingerprint: other, Status: 200},                         // another number
		{Time: at(10), Method: "PATCH", Path: "/multi_webhook", Fingerprint: id, Status: 500}, // retried
		{Time: at(20), Method: "PATCH", Path: "/multi_webhook", Fingerprint: id, Status: 200},
		{Time: at(500), Method: "GET", Fingerprint: id, Status: 200, Duration: time.Millisecond},
		{Time: at(900), Method: "GET", Fingerprint: id, Status: 200, Duration: 2 * time.Millisecond},
		{Time: at(910), Method: "POST", Path: "/multi_webhook", Fingerprint: id, Status: 400}, // refused
		{Time: at(911), Method: "GET", Fingerprint: id, Status: 409},                          // re-read
		{Time: at(920), Method: "POST", Path: "/multi_webhook", Fingerprint: id, Status: 200},
		{Time: at(1400), Method: "GET", Fingerprint: id, Status: 200},
	}
	tr := SplitTraffic(reqs, id)
	if tr.GETsBefore != 1 || len(tr.Calls) != 3 {
		t.Fatalf("got %+v", tr)
	}
	patch := tr.Calls[0]
	if patch.Attempts != 2 || !patch.Accepted() || !patch.Arrival.Equal(at(20)) || patch.GETs != 2 || !patch.GETsEnd.Equal(at(902)) {
		t.Errorf("PATCH: %+v", patch)
	}
	accepted, rejected := tr.Counts()
	if accepted["PATCH"] != 1 || accepted["POST"] != 1 || rejected["POST"] != 1 || len(rejected) != 1 {
		t.Errorf("counts %v, refused %v", accepted, rejected)
	}
	if polls, reReads := tr.Polls(); polls != 3 || reReads != 1 || tr.GETs() != 5 {
		t.Errorf("polls %d, re-reads %d, GETs %d", polls, reReads, tr.GETs())
	}
}

func TestMedianAndWorst(t *testing.T) {
	if Median([]int{3, 1, 2}) != 2 || Median([]float64{1, 2, 3, 4}) != 2.5 || Median([]int(nil)) != 0 {
		t.Error("Median")
	}
	if Worst([]time.Duration{2, 5, 1}) != 5 || Worst([]int(nil)) != 0 {
		t.Error("Worst")
	}
}
