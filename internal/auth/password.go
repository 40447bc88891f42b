// Package auth holds how staff prove who they are: argon2id password hashes and the policy
// that slows and then refuses repeated failed sign-ins.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
)

// Parameters of argon2id, as OWASP recommends for a server (19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16

	// MinPasswordLen is the shortest password accepted.
	MinPasswordLen = 12
)

var b64 = base64.RawStdEncoding

// ErrMismatch is a wrong password.
var ErrMismatch = errors.New("auth: password does not match")

// HashPassword returns the PHC string of an argon2id hash of password.
func HashPassword(password string) (string, error) {
	if len([]rune(password)) < MinPasswordLen {
		return "", fmt.Errorf("auth: password shorter than %d characters", MinPasswordLen)
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword compares password with a hash made by HashPassword, in constant time.
func CheckPassword(hash, password string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("auth: not an argon2id hash")
	}
	var version int
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return errors.New("auth: unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return fmt.Errorf("auth: bad parameters: %w", err)
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return err
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return err
	}
	got := argon2.IDKey([]byte(password), salt, t, mem, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// dummyHash is checked against when an account does not exist, so that answering takes as
// long as for one that does. It is made on the first failed look-up, not at start-up: the
// argon2id work (19 MiB) would otherwise set the program's peak memory before any request.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a real password, only for timing")
	return h
})

// CheckNobody spends the time of a password check on an account that does not exist.
func CheckNobody(password string) { _ = CheckPassword(dummyHash(), password) }

// Throttle is the policy for failed sign-ins within Window: after SlowAfter failures for an
// account, each attempt waits; at LockAfter failures for an account, or LockAddressAfter from
// one address, sign-in is refused until the window has passed.
type Throttle struct {
	Window           time.Duration
	SlowAfter        int
	LockAfter        int
	LockAddressAfter int
	Step             time.Duration
	MaxDelay         time.Duration
}

// DefaultThrottle is the policy of the product.
var DefaultThrottle = Throttle{
	Window: 15 * time.Minute, SlowAfter: 3, LockAfter: 5, LockAddressAfter: 20,
	Step: 500 * time.Millisecond, MaxDelay: 3 * time.Second,
}

// Decide returns how long to wait before checking a password, and whether to refuse it
// outright, given the recent failures for the account and for the address.
func (t Throttle) Decide(accountFailures, addressFailures int) (delay time.Duration, refuse bool) {
	if accountFailures >= t.LockAfter || addressFailures >= t.LockAddressAfter {
		return 0, true
	}
	if accountFailures >= t.SlowAfter {
		return min(t.MaxDelay, time.Duration(accountFailures-t.SlowAfter+1)*t.Step), false
	}
	return 0, false
}
