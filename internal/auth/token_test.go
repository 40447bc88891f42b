package auth

import (
	"bytes"
	"encoding/base64"
	"testing"
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, hash := NewToken()
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q: %d bytes, %v", tok, len(raw), err)
		}
		if seen[tok] {
			t.Fatalf("token %q twice", tok)
		}
		seen[tok] = true
		if !bytes.Equal(hash, TokenHash(tok)) || len(hash) != 32 || bytes.Contains(hash, raw) {
			t.Fatalf("hash of %q = %x", tok, hash)
		}
	}
	if bytes.Equal(TokenHash("a"), TokenHash("b")) {
		t.Error("different tokens, same hash")
	}
}
