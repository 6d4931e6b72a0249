package provider

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Write-only header values (headers_wo) never reach the state or the plan.
// To still show a changed value, or a value changed outside Terraform, the
// state keeps for each one a digest: an HMAC-SHA256 keyed with the
// number's API key, which the provider holds and the state never does, so
// the digest reveals nothing, not even to an offline guess at a short
// value. The plan computes the digests of the configured values; a refresh
// computes those of the values 360dialog shows; a difference is a change
// the plan displays, in headers_wo_digests. Digests are recomputed with the
// current key on every refresh, so a rotated key causes no diff.

// headerValuesByDestination is header name to value, per destination name.
type headerValuesByDestination map[string]map[string]string

// emptyDigests is headers_wo_digests when no header is write-only.
func emptyDigests() types.Map { return types.MapValueMust(headersType, map[string]attr.Value{}) }

// headerDigest is the digest of one write-only header value. The
// destination and the header name (case ignored, as in HTTP) are part of
// the message, so that equal values of different headers do not show as
// equal digests.
func headerDigest(key, destination, header, value string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte("d360 write-only header\x00" + destination + "\x00" + strings.ToLower(header) + "\x00" + value))
	return hex.EncodeToString(mac.Sum(nil))[:16]
}

// writeOnlyFromConfig reads the headers_wo of every destination from the
// configuration, the only place write-only values exist. Values may be
// unknown during plan; known is false when the destinations, one of them
// or its headers_wo map is not known yet. It reads the configuration's raw
// value: the framework's conversion of the whole destinations map was a
// visible part of ModifyPlan in a plan of many numbers.
func writeOnlyFromConfig(config tfsdk.Config) (wo map[string]map[string]types.String, known bool, diags diag.Diagnostics) {
	wo = map[string]map[string]types.String{}
	top, _, err := rawElements(config.Raw)
	dests, known, err2 := rawElements(top["destinations"])
	if err = errors.Join(err, err2); err == nil {
		for name, dest := range dests {
			values, ok, err3 := headersWOOf(dest)
			known, err = known && ok, errors.Join(err, err3)
			if values != nil {
				wo[name] = values
			}
		}
	}
	return wo, known, writeOnlyReadError(err)
}

// webhookWriteOnly reads the headers_wo of d360_webhook from the
// configuration, as writeOnlyFromConfig does for each destination; known is
// false while the map is not known yet.
func webhookWriteOnly(config tfsdk.Config) (values map[string]types.String, known bool, diags diag.Diagnostics) {
	values, known, err := headersWOOf(config.Raw)
	if values == nil {
		values = map[string]types.String{}
	}
	return values, known, writeOnlyReadError(err)
}

// writeOnlyReadError reports a configuration whose headers_wo could not be
// read; none for a nil err.
func writeOnlyReadError(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	if err != nil {
		diags.AddError("Error Reading Write-Only Headers", "Reading headers_wo from the configuration: "+err.Error())
	}
	return diags
}

// headersWOOf returns the headers_wo of one configured destination, nil
// when it has none; known is false when the destination or its headers_wo
// map is not known yet.
func headersWOOf(dest tftypes.Value) (values map[string]types.String, known bool, err error) {
	attrs, known, err := rawElements(dest)
	if attrs == nil || err != nil {
		return nil, known, err
	}
	headers, known, err := rawElements(attrs["headers_wo"])
	if headers == nil || err != nil {
		return nil, known, err
	}
	values = make(map[string]types.String, len(headers))
	for name, v := range headers {
		if values[name], err = rawString(v); err != nil {
			return nil, known, err
		}
	}
	return values, known, nil
}

// rawElements returns the attributes of an object or the elements of a map
// value: nil for a null or unknown value, with known false for the latter.
// An empty map is an empty, non-nil map.
func rawElements(v tftypes.Value) (elems map[string]tftypes.Value, known bool, err error) {
	if !v.IsKnown() || v.IsNull() {
		return nil, v.IsKnown(), nil
	}
	elems = map[string]tftypes.Value{}
	return elems, true, v.As(&elems)
}

// rawString converts a string value, which may be unknown or null.
func rawString(v tftypes.Value) (types.String, error) {
	if !v.IsKnown() {
		return types.StringUnknown(), nil
	}
	var s *string
	if err := v.As(&s); err != nil || s == nil {
		return types.StringNull(), err
	}
	return types.StringValue(*s), nil
}

// knownValues keeps the known values of write-only headers; at apply time
// they all are.
func knownValues(wo map[string]map[string]types.String) headerValuesByDestination {
	out := headerValuesByDestination{}
	for dest, headers := range wo {
		out[dest] = map[string]string{}
		for name, v := range headers {
			if !v.IsUnknown() && !v.IsNull() {
				out[dest][name] = v.ValueString()
			}
		}
	}
	return out
}

// plannedDigests is headers_wo_digests as the configuration asks for it:
// the digest of each configured value, unknown where the value is.
func plannedDigests(key string, wo map[string]map[string]types.String) types.Map {
	elems := map[string]attr.Value{}
	for dest, headers := range wo {
		if len(headers) > 0 {
			elems[dest] = plannedHeaderDigests(key, dest, headers)
		}
	}
	return types.MapValueMust(headersType, elems)
}

// plannedHeaderDigests is the digest of each configured write-only value of
// one destination, unknown where the value is.
func plannedHeaderDigests(key, dest string, headers map[string]types.String) types.Map {
	elems := map[string]attr.Value{}
	for name, v := range headers {
		elems[name] = types.StringUnknown()
		if !v.IsUnknown() && !v.IsNull() {
			elems[name] = types.StringValue(headerDigest(key, dest, name, v.ValueString()))
		}
	}
	return types.MapValueMust(types.StringType, elems)
}

// digestsFromModel reads headers_wo_digests from a state or plan.
func digestsFromModel(ctx context.Context, m types.Map) (map[string]map[string]string, diag.Diagnostics) {
	out := map[string]map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out, nil
	}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

// writeOnlySplit knows which header of which destination is write-only and
// digests their values with the number's key.
type writeOnlySplit struct {
	key string
	// names maps destination to lower-case header name to the name as
	// configured, so that a digest keeps the configuration's spelling.
	names map[string]map[string]string
}

// newSplit makes a split whose write-only names are those of the digests
// in a state and of the write-only values of a configuration.
func newSplit(key string, digests map[string]map[string]string, wo headerValuesByDestination) writeOnlySplit {
	s := writeOnlySplit{key: key, names: map[string]map[string]string{}}
	for _, source := range []map[string]map[string]string{digests, wo} {
		for dest, headers := range source {
			if s.names[dest] == nil {
				s.names[dest] = map[string]string{}
			}
			for name := range headers {
				s.names[dest][strings.ToLower(name)] = name
			}
		}
	}
	return s
}

// separate splits destinations read from the API into what the state keeps
// (without write-only headers) and headers_wo_digests.
func (s writeOnlySplit) separate(dests []client.Destination) ([]client.Destination, types.Map) {
	kept := make([]client.Destination, 0, len(dests))
	elems := map[string]attr.Value{}
	for _, d := range dests {
		plain, digests := map[string]string{}, map[string]attr.Value{}
		for name, value := range d.Headers {
			if configured, wo := s.names[d.Name][strings.ToLower(name)]; wo {
				digests[configured] = types.StringValue(headerDigest(s.key, d.Name, configured, value))
			} else {
				plain[name] = value
			}
		}
		kept = append(kept, client.Destination{Name: d.Name, URL: d.URL, Headers: plain})
		if len(digests) > 0 {
			elems[d.Name] = types.MapValueMust(types.StringType, digests)
		}
	}
	return kept, types.MapValueMust(headersType, elems)
}

// restore adds to headers, the plain headers a state records for
// destination dest, the write-only ones whose digest shows what they hold:
// the value want has for that name when the digests agree, else a value no
// configuration can hold, so that the header differs from any wanted one.
func (s writeOnlySplit) restore(headers map[string]string, dest string, digests, want map[string]string) {
	for name, digest := range digests {
		value, found := lookupHeader(want, name)
		if found && headerDigest(s.key, dest, name, value) == digest {
			headers[name] = value
			continue
		}
		headers[name] = unknownWriteOnlyValue
	}
}

// unknownWriteOnlyValue stands for a write-only value that differs from
// the configured one. Validation refuses NUL in header values, so no
// configured value can equal it.
const unknownWriteOnlyValue = "\x00a write-only value that differs from the configuration"

// lookupHeader finds a header ignoring the case of its name.
func lookupHeader(headers map[string]string, name string) (string, bool) {
	for k, v := range headers {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}
