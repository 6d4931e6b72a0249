package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// The hooks are tested through the provider's protocol server, as
// Terraform calls them, one server standing for one provider process. What
// a process knows is seen in the private state a create of another number,
// which makes no change and so learns nothing itself, saves: the newest
// waits of other numbers.

const resourceType = "d360_multi_webhook"

// protoProcess is one provider server, configured with the numbers "a"
// and "b" against a fake on which both exist with the feature on and no
// destinations, so that a resource naming either has nothing to change.
type protoProcess struct {
	t   *testing.T
	ctx context.Context
	srv tfprotov6.ProviderServer
	typ tftypes.Object // the resource's type
	// types are the value types of every resource, by type name.
	types map[string]tftypes.Object
	keys  map[string]string
}

func newProtoProcess(t *testing.T) *protoProcess {
	t.Helper()
	env := newAccEnv(t, fakeapi.Options{})
	p := &protoProcess{t: t, ctx: context.Background(), keys: map[string]string{"a": testKey(t, "a"), "b": testKey(t, "b")}}
	for _, key := range p.keys {
		env.seed(key, true, nil)
	}
	srv, err := providerserver.NewProtocol6WithError(&d360Provider{version: "test", clientOptions: fastClient})()
	if err != nil {
		t.Fatal(err)
	}
	p.srv = srv
	schemas, err := srv.GetProviderSchema(p.ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p.types = map[string]tftypes.Object{}
	for name, s := range schemas.ResourceSchemas {
		p.types[name] = s.ValueType().(tftypes.Object) //nolint:forcetypeassert // a block is an object
	}
	p.typ = p.types[resourceType]
	providerType := schemas.Provider.ValueType().(tftypes.Object) //nolint:forcetypeassert // a block is an object
	numbers := map[string]tftypes.Value{}
	for name, key := range p.keys {
		numbers[name] = tftypes.NewValue(tftypes.String, key)
	}
	config := object(providerType, map[string]tftypes.Value{
		"base_url": tftypes.NewValue(tftypes.String, env.url),
		"numbers":  tftypes.NewValue(providerType.AttributeTypes["numbers"], numbers),
	})
	resp, err := srv.ConfigureProvider(p.ctx, &tfprotov6.ConfigureProviderRequest{Config: p.dynamic(config)})
	p.check("configure", err, resp.Diagnostics)
	return p
}

// object is a value of typ with the attributes in set and every other null.
func object(typ tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			attrs[name] = v
		}
	}
	return tftypes.NewValue(typ, attrs)
}

// dynamic encodes v for the protocol.
func (p *protoProcess) dynamic(v tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// check fails the test on an error or an error diagnostic.
func (p *protoProcess) check(what string, err error, diags []*tfprotov6.Diagnostic) {
	p.t.Helper()
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			p.t.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
		}
	}
}

// config is the configuration of a resource naming number.
func (p *protoProcess) config(number string) tftypes.Value {
	return object(p.typ, map[string]tftypes.Value{"number": tftypes.NewValue(tftypes.String, number)})
}

// state is the state of a resource that manages number, as it has it.
func (p *protoProcess) state(number string) tftypes.Value {
	return object(p.typ, map[string]tftypes.Value{
		"id":                 tftypes.NewValue(tftypes.String, client.Fingerprint(p.keys[number])),
		"number":             tftypes.NewValue(tftypes.String, number),
		"enabled":            tftypes.NewValue(tftypes.Bool, true),
		"headers_wo_digests": tftypes.NewValue(p.typ.AttributeTypes["headers_wo_digests"], map[string]tftypes.Value{}),
	})
}

// read refreshes the resource of number with private and returns the
// private state the refresh leaves.
func (p *protoProcess) read(number string, private []byte) []byte {
	p.t.Helper()
	resp, err := p.srv.ReadResource(p.ctx, &tfprotov6.ReadResourceRequest{TypeName: resourceType,
		CurrentState: p.dynamic(p.state(number)), Private: private})
	p.check("read "+number, err, resp.Diagnostics)
	return resp.Private
}

// plan plans the resource of number: from prior (nil for a create) with
// its private state.
func (p *protoProcess) plan(number string, prior *tftypes.Value, private []byte) *tfprotov6.PlanResourceChangeResponse {
	p.t.Helper()
	config := p.config(number)
	priorState, proposed := tftypes.NewValue(p.typ, nil), config
	if prior != nil {
		priorState, proposed = *prior, *prior
	}
	resp, err := p.srv.PlanResourceChange(p.ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: resourceType,
		PriorState: p.dynamic(priorState), ProposedNewState: p.dynamic(proposed), Config: p.dynamic(config), PriorPrivate: private})
	p.check("plan "+number, err, resp.Diagnostics)
	return resp
}

// apply applies a planned change of the resource of number and returns
// the private state it saves.
func (p *protoProcess) apply(number string, prior tftypes.Value, planned *tfprotov6.DynamicValue, private []byte) []byte {
	p.t.Helper()
	resp, err := p.srv.ApplyResourceChange(p.ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: resourceType,
		PriorState: p.dynamic(prior), PlannedState: planned, Config: p.dynamic(p.config(number)), PlannedPrivate: private})
	p.check("apply "+number, err, resp.Diagnostics)
	return resp.Private
}

// create plans and applies a new resource for number, as the apply's
// process does, and returns the private state it saves.
func (p *protoProcess) create(number string) []byte {
	p.t.Helper()
	planned := p.plan(number, nil, nil)
	return p.apply(number, tftypes.NewValue(p.typ, nil), planned.PlannedState, planned.PlannedPrivate)
}

// knowledgeJSON is settle knowledge as client.SettleKnowledge writes it:
// one wait of the number's own, that ended a minute ago.
func knowledgeJSON(loMS, hiMS int) string {
	return fmt.Sprintf(`{"v":1,"own":[{"lo_ms":%d,"hi_ms":%d,"at":%d}]}`, loMS, hiMS, time.Now().Add(-time.Minute).Unix())
}

// withSettle is a private state holding settle knowledge.
func withSettle(t *testing.T, knowledge string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string][]byte{settleKey: []byte(knowledge)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// settleIn returns the settle knowledge in a private state, decoded; nil
// when there is none.
func settleIn(t *testing.T, private []byte) map[string]any {
	t.Helper()
	if len(private) == 0 {
		return nil
	}
	var keys map[string][]byte
	if err := json.Unmarshal(private, &keys); err != nil {
		t.Fatalf("private state %s: %v", private, err)
	}
	if keys[settleKey] == nil {
		return nil
	}
	var k map[string]any
	if err := json.Unmarshal(keys[settleKey], &k); err != nil {
		t.Fatalf("settle knowledge %s: %v", keys[settleKey], err)
	}
	return k
}

// waitsOf returns the waits of one kind ("own" or "others") of decoded
// settle knowledge.
func waitsOf(k map[string]any, kind string) any {
	if k == nil {
		return nil
	}
	return k[kind]
}

// mustDecode decodes settle knowledge written by knowledgeJSON.
func mustDecode(t *testing.T, knowledge string) map[string]any {
	t.Helper()
	var k map[string]any
	if err := json.Unmarshal([]byte(knowledge), &k); err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSettleHooksSeedTheProcess: the knowledge a Read or a ModifyPlan
// finds in a resource's private state becomes what the process knows, so
// a number with no waits of its own saves the other's waits; a process
// that saw neither saves nothing.
func TestSettleHooksSeedTheProcess(t *testing.T) {
	known := knowledgeJSON(400, 500)
	want := waitsOf(mustDecode(t, known), "own")
	cases := map[string]func(p *protoProcess){
		"nothing seen": func(*protoProcess) {},
		"read":         func(p *protoProcess) { p.read("a", withSettle(t, known)) },
		"modify plan": func(p *protoProcess) {
			prior := p.state("a")
			p.plan("a", &prior, withSettle(t, known))
		},
	}
	for name, seed := range cases {
		t.Run(name, func(t *testing.T) {
			p := newProtoProcess(t)
			seed(p)
			got := settleIn(t, p.create("b"))
			if name == "nothing seen" {
				if got != nil {
					t.Fatalf("a process that saw no knowledge saved %v", got)
				}
				return
			}
			if others := waitsOf(got, "others"); !reflect.DeepEqual(others, want) || waitsOf(got, "own") != nil {
				t.Errorf("b saved %v, want a's waits as others: %v", got, want)
			}
		})
	}
}

// TestSettleHooksUpdateKeepsWhatItWasGiven: an update, in a process that
// knows nothing else, remembers the knowledge of its (planned) private
// state and saves it back as the number's own, even when it changes
// nothing; a read leaves the private state as it was.
func TestSettleHooksUpdateKeepsWhatItWasGiven(t *testing.T) {
	p := newProtoProcess(t)
	known := knowledgeJSON(1200, 1500)
	prior := p.state("a")
	saved := settleIn(t, p.apply("a", prior, p.dynamic(prior), withSettle(t, known)))
	if want := waitsOf(mustDecode(t, known), "own"); !reflect.DeepEqual(waitsOf(saved, "own"), want) {
		t.Errorf("update saved %v, want the own waits %v", saved, want)
	}
	if got := settleIn(t, p.read("a", withSettle(t, known))); !reflect.DeepEqual(got, mustDecode(t, known)) {
		t.Errorf("read left %v, want the private state as it was", got)
	}
}

// TestSettleHooksImportStartsWithNone: an import, even in a process that
// knows other numbers' waits, records no settle knowledge, nor does the
// Read that follows it; knowledge this version cannot read is ignored.
func TestSettleHooksImportStartsWithNone(t *testing.T) {
	p := newProtoProcess(t)
	p.read("a", withSettle(t, knowledgeJSON(400, 500)))
	resp, err := p.srv.ImportResourceState(p.ctx, &tfprotov6.ImportResourceStateRequest{TypeName: resourceType, ID: "b"})
	p.check("import b", err, resp.Diagnostics)
	if len(resp.ImportedResources) != 1 {
		t.Fatalf("imported %d resources, want 1", len(resp.ImportedResources))
	}
	imported := resp.ImportedResources[0].Private
	if got := settleIn(t, imported); got != nil {
		t.Errorf("import recorded settle knowledge %v", got)
	}
	if got := settleIn(t, p.read("b", imported)); got != nil {
		t.Errorf("the read after import recorded settle knowledge %v", got)
	}
	for _, bad := range []string{`{"v":2,"own":[]}`, `{"v":1,"own":[{"lo_ms":5,"hi_ms":1,"at":1}]}`} {
		fresh := newProtoProcess(t)
		fresh.read("a", withSettle(t, bad))
		if got := settleIn(t, fresh.create("b")); got != nil {
			t.Errorf("knowledge %s was remembered: b saved %v", bad, got)
		}
	}
}

// TestSettleKnowledgeHoldsNoSecret: what the private state keeps is
// elapsed times and dates: no key, no fingerprint, no name.
func TestSettleKnowledgeHoldsNoSecret(t *testing.T) {
	p := newProtoProcess(t)
	p.read("a", withSettle(t, knowledgeJSON(400, 500)))
	private := p.create("b")
	var keys map[string][]byte
	if err := json.Unmarshal(private, &keys); err != nil {
		t.Fatal(err)
	}
	text := string(keys[settleKey])
	if text == "" {
		t.Fatal("no settle knowledge saved; the check would prove nothing")
	}
	for name, key := range p.keys {
		for _, secret := range []string{key, client.Fingerprint(key), `"` + name + `"`} {
			if strings.Contains(text, secret) {
				t.Errorf("settle knowledge %s holds the key, fingerprint or name of %s", text, name)
			}
		}
	}
}
