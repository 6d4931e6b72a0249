package client

import "testing"

// TestCheckBaseURL: https anywhere, plain http only for a loopback host.
func TestCheckBaseURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://waba-v2.360dialog.io": true, "https://waba-sandbox.360dialog.io/": true,
		"http://127.0.0.1:8080": true, "http://localhost:1": true, "http://[::1]:9": true, "http://127.5.6.7": true,
		"http://waba-v2.360dialog.io": false, "http://10.0.0.1": false, "ftp://127.0.0.1": false,
		"waba-v2.360dialog.io": false, "https://x.example?y=1": false, "": false,
	} {
		if err := CheckBaseURL(raw); (err == nil) != ok {
			t.Errorf("CheckBaseURL(%q) = %v, want ok=%t", raw, err, ok)
		}
	}
}
