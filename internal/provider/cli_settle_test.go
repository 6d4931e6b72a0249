package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// settleNumbers is how many numbers the settle-knowledge test changes in
// each apply: fewer than the CLI's parallelism, so that every wait of an
// apply starts before any other has learnt anything.
const settleNumbers = 6

// TestAccCLI_settleKnowledgeWarmsTheNextApply: each apply runs in fresh
// provider processes, and the second one knows of the first only what it
// left in each resource's private state. With changes settling after 2 s,
// a cold wait (the numbers' first change ever, in the first apply) polls at
// 0.5 s × 1.29^k, moved later by at most 10 %: 1.79-1.97 s is too early and
// 2.30-2.53 s sees the change, 7 GETs. A warm wait polls at 0.5 s and 1 s,
// then through the window the first wait learnt: 3 or 4 GETs. The test
// compares the GETs of the two applies, not their timings.
func TestAccCLI_settleKnowledgeWarmsTheNextApply(t *testing.T) {
	r := newCLIRun(t, fakeapi.Options{SettleDelay: 2 * time.Second})
	keys := map[string]string{}
	for i := range settleNumbers {
		name := fmt.Sprintf("n%d", i)
		keys[name] = randomSecret(t, name)
	}
	r.writeFile("numbers.json", mustJSON(t, keys))
	config := func(version string) string {
		return numbersFileHCL(r.env.url) + fmt.Sprintf(`
resource "d360_multi_webhook" "n" {
  for_each     = toset(%s)
  number       = each.key
  destinations = { crm = { url = "https://crm.example.com/${each.key}/%s" } }
}
`, hclList(slices.Sorted(maps.Keys(keys))), version)
	}
	cold := r.applyPolls(config("v1"), keys, http.MethodPost)
	warm := r.applyPolls(config("v2"), keys, http.MethodPatch)
	t.Logf("GETs after the change, %d numbers: first apply (cold) %d, second apply (warm) %d", settleNumbers, cold, warm)
	if warm > cold-2*settleNumbers {
		t.Errorf("the second apply polled %d times for %d changes, the first %d: want at least 2 fewer per change", warm, settleNumbers, cold)
	}
	for name, k := range r.settleInState() {
		if len(k.Own) == 0 {
			t.Errorf("%s: the state keeps no wait of its own: %+v", name, k)
		}
	}
	r.checkNoSecret(keys)
}

// applyPolls applies config, which makes one change of method to each
// number of keys, and returns the GETs the apply made for them after the
// one read of each number that comes before its change (the starting
// point of a create, the refresh of an update).
func (r *cliRun) applyPolls(config string, keys map[string]string, method string) int {
	r.t.Helper()
	r.ws.WriteConfig(config)
	r.env.resetLog()
	r.must("apply", "-auto-approve", "-input=false", "-no-color")
	polls := 0
	for name, key := range keys {
		counts := r.env.fake.CountsFor(key)
		if counts[method] != 1 || len(counts) != 2 {
			r.t.Fatalf("%s: the apply made %v, want 1 %s and GETs", name, counts, method)
		}
		polls += counts[http.MethodGet] - 1
	}
	return polls
}

// stateKnowledge is the JSON form of client.SettleKnowledge, as far as
// the test reads it.
type stateKnowledge struct {
	Version int               `json:"v"`
	Own     []json.RawMessage `json:"own"`
	Others  []json.RawMessage `json:"others"`
}

// settleInState reads the settle knowledge in the private state of each
// instance of d360_multi_webhook.n, by for_each key.
func (r *cliRun) settleInState() map[string]stateKnowledge {
	r.t.Helper()
	raw, err := os.ReadFile(filepath.Join(r.ws.Dir, "terraform.tfstate"))
	if err != nil {
		r.t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Instances []struct {
				IndexKey string `json:"index_key"`
				Private  []byte `json:"private"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		r.t.Fatal(err)
	}
	out := map[string]stateKnowledge{}
	for _, res := range state.Resources {
		for _, inst := range res.Instances {
			var private map[string][]byte
			var k stateKnowledge
			if err := json.Unmarshal(inst.Private, &private); err != nil || json.Unmarshal(private[settleKey], &k) != nil {
				r.t.Fatalf("%s: private state without settle knowledge", inst.IndexKey)
			}
			out[inst.IndexKey] = k
		}
	}
	if len(out) != settleNumbers {
		r.t.Fatalf("%d instances in the state, want %d", len(out), settleNumbers)
	}
	return out
}
