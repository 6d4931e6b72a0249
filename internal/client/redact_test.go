package client

import (
	"errors"
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// trickySecret has characters that every encoding changes.
const trickySecret = `sk-<S3CR&T>"/é ?+\x`

// newRedactingClient returns a Client that knows secrets.
func newRedactingClient(t testing.TB, secrets ...string) *Client {
	t.Helper()
	c, err := New(Options{BaseURL: "https://waba-v2.360dialog.io"})
	if err != nil {
		t.Fatal(err)
	}
	c.secrets.add(secrets...)
	return c
}

// assertNoFragment fails when text, outside the redaction marks, holds the
// first or last 4 bytes of any encoded form of secret: every fragment of at
// least 4 bytes that begins or ends a form contains one of them.
func assertNoFragment(t testing.TB, text, secret string) {
	t.Helper()
	for _, piece := range strings.Split(text, redactedMark) {
		for _, f := range encodedForms(secret) {
			if strings.Contains(piece, f[:minSecretLen]) || strings.Contains(piece, f[len(f)-minSecretLen:]) {
				t.Fatalf("a fragment of %q (form %q) is left in %q", secret, f, text)
			}
		}
	}
}

func TestRedactRemovesEveryForm(t *testing.T) {
	// The second secret differs from each of its forms at both ends, so
	// that fragments of the other forms cannot cover a missing one.
	for _, secret := range []string{trickySecret, `"<quoted>"`} {
		c := newRedactingClient(t, secret)
		forms := map[string]string{
			"raw":          secret,
			"json":         jsonEscaped(secret, true),
			"json no html": jsonEscaped(secret, false),
			"query":        url.QueryEscape(secret),
			"path":         url.PathEscape(secret),
			"html":         html.EscapeString(secret),
		}
		for name, form := range forms {
			text := "before " + form + " after"
			got := c.secrets.redact(text)
			if got != "before "+redactedMark+" after" {
				t.Errorf("%s form %q: got %q", name, form, got)
			}
		}
	}
	// The JSON forms are what encoding/json writes, quotes aside.
	if jsonEscaped(trickySecret, true) != `sk-\u003cS3CR\u0026T\u003e\"/é ?+\\x` || jsonEscaped(trickySecret, false) != `sk-<S3CR&T>\"/é ?+\\x` {
		t.Errorf("JSON forms %q, %q", jsonEscaped(trickySecret, true), jsonEscaped(trickySecret, false))
	}
}

func TestRedactRemovesFragmentsCutShort(t *testing.T) {
	const key = "sk-S3CRETKEY-0123456789"
	c := newRedactingClient(t, key)
	cases := map[string]string{
		"<td>D360-API-KEY: sk-S3CR…</td>":  "<td>D360-API-KEY: " + redactedMark + "…</td>",
		"key ends …6789.":                  "key ends …" + redactedMark + ".",
		"sk-S":                             redactedMark,
		"sk-":                              "sk-", // 3 bytes: below the minimum
		"ask-S3CRx":                        "a" + redactedMark + "x",
		"two: sk-S3CR and sk-S3CRETKEY-01": "two: " + redactedMark + " and " + redactedMark,
		"whole: " + key + key:              "whole: " + redactedMark,
		"unrelated text stays":             "unrelated text stays",
	}
	for in, want := range cases {
		if got := c.secrets.redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactLeavesShortSecretsAlone(t *testing.T) {
	c := newRedactingClient(t, "abc", "1", "")
	if got := c.secrets.redact("abc 1 2 abcabc"); got != "abc 1 2 abcabc" {
		t.Errorf("short secrets redacted: %q", got)
	}
}

func TestRedactKeepsUTF8Valid(t *testing.T) {
	c := newRedactingClient(t, "ab-éèê-secret")
	// The text shares "ab-é" and the first byte of "è" with the secret,
	// then goes on with another character of the same leading byte.
	in := "x ab-éé y"
	got := c.secrets.redact(in)
	if !utf8.ValidString(got) || got != "x "+redactedMark+" y" {
		t.Errorf("Redact(%q) = %q", in, got)
	}
}

func TestRedactWithoutSecrets(t *testing.T) {
	c := newRedactingClient(t)
	if got := c.secrets.redact("nothing to hide"); got != "nothing to hide" {
		t.Errorf("got %q", got)
	}
	var nilSet *secretSet
	if nilSet.redact("text") != "text" {
		t.Error("a nil set changed the text")
	}
}

func TestSecretsAddedLaterAreRedacted(t *testing.T) {
	// The values share no 4 bytes at either end, or one would redact the other.
	c := newRedactingClient(t, "first-value")
	if c.secrets.redact("second:thing") != "second:thing" {
		t.Fatal("an unknown value was redacted")
	}
	c.secrets.add("second:thing")
	if got := c.secrets.redact("first-value second:thing"); got != redactedMark+" "+redactedMark {
		t.Errorf("got %q", got)
	}
	c.Number("third/api/key")
	if got := c.secrets.redact("third/api/key"); got != redactedMark {
		t.Errorf("the key of a Number is not redacted: %q", got)
	}
}

func TestClientRegistersHeaderValuesSentAndReceived(t *testing.T) {
	// Neither shares 4 bytes at either end with the other or with testKey.
	const sent, received = "Token sent/abcdef", "Basic got/uvwxyz"
	list := `{"enabled":true,"destinations":[{"name":"a","url":"https://a.example.com","headers":{"Authorization":"` + received + `"}}]}`
	fs := newFakeServer(t, reply{status: 200, body: msgBody(msgStarted)}, reply{status: 200, body: list})
	num, _ := fs.number(testKey)
	c := num.client
	if c.secrets.redact(sent+received) != sent+received {
		t.Fatal("values redacted before the client saw them")
	}
	dests := []Destination{{Name: "a", URL: "https://a.example.com", Headers: map[string]string{"Authorization": sent}}}
	if err := num.AddDestinations(t.Context(), dests); err != nil {
		t.Fatal(err)
	}
	if got := c.secrets.redact(sent); got != redactedMark {
		t.Errorf("a header value sent is not redacted: %q", got)
	}
	if _, err := num.GetMultiWebhook(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := c.secrets.redact(received); got != redactedMark {
		t.Errorf("a header value received is not redacted: %q", got)
	}
}

func TestLoggerFieldsAreRedacted(t *testing.T) {
	log := &recLogger{}
	c, err := New(Options{BaseURL: "https://waba-v2.360dialog.io", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	c.secrets.add("hush-hush-value")
	c.log.Warn(t.Context(), "msg hush-hush-value", map[string]any{
		"string": "a hush-hush-value", "error": errors.New("e hush-hush-value"), "stringer": stringer("s hush-hush-value"),
		"slice": []string{"hush-hush-value"}, "int": 3, "bool": true,
	})
	e := log.all()[0]
	if e.Msg != "msg "+redactedMark || e.Fields["string"] != "a "+redactedMark || e.Fields["error"] != "e "+redactedMark ||
		e.Fields["stringer"] != "s "+redactedMark || e.Fields["slice"] != "["+redactedMark+"]" ||
		e.Fields["int"] != 3 || e.Fields["bool"] != true {
		t.Errorf("logged %+v", e)
	}
}

// stringer is a fmt.Stringer for TestLoggerFieldsAreRedacted.
type stringer string

// String returns s.
func (s stringer) String() string { return string(s) }

func FuzzRedact(f *testing.F) {
	f.Add("sk-S3CRETKEY-0123456789", "page: sk-S3CR… end", "Bearer x")
	f.Add(trickySecret, "{\"error\":\""+jsonEscaped(trickySecret, true)+"\"}", "\xff\xfe")
	f.Add("ab-éèê-secret", "x ab-éé y", "éèê")
	f.Fuzz(func(t *testing.T, secret, text, other string) {
		c := newRedactingClient(t, secret, other)
		got := c.secrets.redact(text)
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Fatalf("Redact(%q) = %q is not valid UTF-8", text, got)
		}
		for _, s := range []string{secret, other} {
			if len(s) >= minSecretLen {
				assertNoFragment(t, got, s)
			}
		}
	})
}

// benchmarkSecrets returns n random 32-character secrets and a 1 KiB text
// quoting parts of a few of them.
func benchmarkSecrets(n int) ([]string, string) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
	secrets := make([]string, n)
	for i := range secrets {
		b := make([]byte, 32)
		for j := range b {
			b[j] = alphabet[rng.IntN(len(alphabet))]
		}
		secrets[i] = string(b)
	}
	var text strings.Builder
	for i := 0; text.Len() < 1024; i++ {
		fmt.Fprintf(&text, `<p>upstream refused {"headers":{"Authorization":"Bearer %s"}} key=%s…</p> `, secrets[i*97%n], secrets[i*31%n][:9])
	}
	return secrets, text.String()[:1024]
}

func BenchmarkRedact1000SecretsOn1KiB(b *testing.B) {
	secrets, text := benchmarkSecrets(1000)
	c := newRedactingClient(b, secrets...)
	got := c.secrets.redact(text) // builds the index once
	if !strings.Contains(got, redactedMark) {
		b.Fatal("nothing redacted; the benchmark would measure the wrong path")
	}
	b.ReportAllocs()
	for b.Loop() {
		c.secrets.redact(text)
	}
}

func BenchmarkAddingSecretsUpTo1000(b *testing.B) {
	secrets, _ := benchmarkSecrets(1000)
	b.ReportAllocs()
	for b.Loop() {
		set := newSecretSet()
		for _, s := range secrets {
			set.add(s)
		}
	}
}

func TestBodyIsRedactedBeforeItIsExcerpted(t *testing.T) {
	// The excerpt collapses the whitespace inside this secret, so that
	// only redacting the whole body first can remove its middle.
	const secret = "open  MIDDLEPART\tclose"
	fs := newFakeServer(t, reply{status: 502, body: "<p>upstream said: " + secret + "</p>"})
	num, _ := fs.number(testKey, withRetry(RetryPolicy{MaxAttempts: 1}))
	num.client.secrets.add(secret)
	_, err := num.GetMultiWebhook(t.Context())
	e := apiErr(t, err)
	if strings.Contains(e.Message, "MIDDLEPART") || !strings.Contains(e.Message, "upstream said: "+redactedMark) {
		t.Errorf("message %q", e.Message)
	}
}

func TestEntityEncodedSecretIsRedactedAfterTheExcerpt(t *testing.T) {
	// Numeric character references are not one of the encoded forms, and
	// with every third byte so encoded no 4 raw bytes of the key are left
	// for the redaction before the excerpt; the excerpt decodes them, and
	// the redaction after it catches the result.
	var encoded strings.Builder
	for i, c := range []byte(testKey) {
		if i%3 == 0 {
			fmt.Fprintf(&encoded, "&#%d;", c)
		} else {
			encoded.WriteByte(c)
		}
	}
	fs := newFakeServer(t, reply{status: 502, body: "<p>key: " + encoded.String() + "</p>"})
	num, _ := fs.number(testKey, withRetry(RetryPolicy{MaxAttempts: 1}))
	_, err := num.GetMultiWebhook(t.Context())
	if e := apiErr(t, err); e.Message != `Bad Gateway (non-JSON body: "key: `+redactedMark+`")` {
		t.Errorf("message %q", e.Message)
	}
}
