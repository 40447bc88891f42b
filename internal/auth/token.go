package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// LinkValidity is how long a one-time link (an invitation, a password reset) works.
const LinkValidity = 72 * time.Hour

// tokenLen is the number of random bytes of a one-time link's token.
const tokenLen = 32

// NewToken returns a random token for a one-time link, URL-safe, and the hash to store: the
// database never holds what the link holds.
func NewToken() (token string, hash []byte) {
	b := make([]byte, tokenLen)
	rand.Read(b) // never returns an error (crypto/rand, Go 1.24+)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, TokenHash(token)
}

// TokenHash is the stored form of a token. The token is random and long, so a plain
// SHA-256 suffices: there is nothing to guess.
func TokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
