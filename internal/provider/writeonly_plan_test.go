package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestPlannedDigestsWhileAValueIsUnknown: the planned headers_wo_digests
// hold a digest per configured write-only value, unknown where the value
// is, and are unknown as a whole while a destination or its headers_wo map
// is not known yet: the plan cannot know which digests there will be.
func TestPlannedDigestsWhileAValueIsUnknown(t *testing.T) {
	p := newProtoProcess(t)                                         // for the types; each case plans in a process of its own
	destsType := p.typ.AttributeTypes["destinations"].(tftypes.Map) //nolint:forcetypeassert // the schema's map
	destType := destsType.ElementType.(tftypes.Object)              //nolint:forcetypeassert // a nested object
	woType := destType.AttributeTypes["headers_wo"]
	crm := func(wo tftypes.Value) tftypes.Value {
		return object(destType, map[string]tftypes.Value{"url": tftypes.NewValue(tftypes.String, "https://crm.example.com/wa"), "headers_wo": wo})
	}
	cases := map[string]struct {
		dest      tftypes.Value
		wantKnown bool
	}{
		"known value":         {crm(tftypes.NewValue(woType, map[string]tftypes.Value{"Authorization": tftypes.NewValue(tftypes.String, "Bearer x")})), true},
		"unknown value":       {crm(tftypes.NewValue(woType, map[string]tftypes.Value{"Authorization": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})), true},
		"unknown map":         {crm(tftypes.NewValue(woType, tftypes.UnknownValue)), false},
		"unknown destination": {tftypes.NewValue(destType, tftypes.UnknownValue), false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := newProtoProcess(t)
			config := object(p.typ, map[string]tftypes.Value{
				"number":       tftypes.NewValue(tftypes.String, "a"),
				"destinations": tftypes.NewValue(destsType, map[string]tftypes.Value{"crm": tc.dest}),
			})
			p.expectPlannedDigestsKnown(resourceType, config, tc.wantKnown)
		})
	}
}

// TestPlannedWebhookDigestsWhileAValueIsUnknown is the same for
// d360_webhook, whose headers_wo is one map: its digests are unknown as a
// whole while that map is.
func TestPlannedWebhookDigestsWhileAValueIsUnknown(t *testing.T) {
	cases := map[string]struct {
		headersWO func(tftypes.Map) tftypes.Value
		wantKnown bool
	}{
		"known value": {func(m tftypes.Map) tftypes.Value {
			return tftypes.NewValue(m, map[string]tftypes.Value{"Authorization": tftypes.NewValue(tftypes.String, "Bearer x")})
		}, true},
		"unknown value": {func(m tftypes.Map) tftypes.Value {
			return tftypes.NewValue(m, map[string]tftypes.Value{"Authorization": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})
		}, true},
		"unknown map": {func(m tftypes.Map) tftypes.Value { return tftypes.NewValue(m, tftypes.UnknownValue) }, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := newProtoProcess(t)
			typ := p.types["d360_webhook"]
			woType := typ.AttributeTypes["headers_wo"].(tftypes.Map) //nolint:forcetypeassert // the schema's map
			config := object(typ, map[string]tftypes.Value{
				"number":     tftypes.NewValue(tftypes.String, "a"),
				"url":        tftypes.NewValue(tftypes.String, "https://crm.example.com/wa"),
				"headers_wo": tc.headersWO(woType),
			})
			p.expectPlannedDigestsKnown("d360_webhook", config, tc.wantKnown)
		})
	}
}

// expectPlannedDigestsKnown plans a create of typeName from config and
// checks whether the planned headers_wo_digests are known.
func (p *protoProcess) expectPlannedDigestsKnown(typeName string, config tftypes.Value, wantKnown bool) {
	p.t.Helper()
	typ := p.types[typeName]
	resp, err := p.srv.PlanResourceChange(p.ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName,
		PriorState: p.dynamic(tftypes.NewValue(typ, nil)), ProposedNewState: p.dynamic(config), Config: p.dynamic(config)})
	p.check("plan", err, resp.Diagnostics)
	planned, err := resp.PlannedState.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := planned.As(&attrs); err != nil {
		p.t.Fatal(err)
	}
	if known := attrs["headers_wo_digests"].IsKnown(); known != wantKnown {
		p.t.Errorf("planned headers_wo_digests %s: known = %t, want %t", attrs["headers_wo_digests"], known, wantKnown)
	}
}
