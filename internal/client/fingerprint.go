package client

import (
	"crypto/sha256"
	"encoding/hex"
)

// Fingerprint is the stable non-secret identity of an API key:
// the first 16 hex digits of its SHA-256.
func Fingerprint(apiKey string) string {
	sum := sha256.Sum256([]byte(apiKey))
	return hex.EncodeToString(sum[:8])
}
