package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// CodeThrottle is the policy for one-time codes (authenticator app and recovery codes). A
// code is asked only after the right password, so a failure says more than a wrong password
// does: the account slows sooner and an address is refused after fewer tries.
var CodeThrottle = Throttle{
	Window: 15 * time.Minute, SlowAfter: 2, Step: time.Second, MaxDelay: 5 * time.Second,
	PairLimit: 5, AddressLimit: 10,
}

// TOTP parameters: RFC 6238's defaults, which every authenticator app reads from the QR code.
const (
	totpPeriod = 30
	totpSkew   = 1 // a code of the step before or after is accepted: clocks drift
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTP makes a new secret for an authenticator app: the secret (base32) to keep, and the
// QR code that carries it to the app, as a PNG data URL.
func NewTOTP(issuer, account string) (secret, qr string, err error) {
	return totpKey(issuer, account, nil)
}

// TOTPQRCode is the QR code of a secret made by NewTOTP, shown again.
func TOTPQRCode(issuer, account, secret string) (string, error) {
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return "", fmt.Errorf("auth: TOTP secret: %w", err)
	}
	_, qr, err := totpKey(issuer, account, b)
	return qr, err
}

func totpKey(issuer, account string, secret []byte) (string, string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod, Secret: secret,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", fmt.Errorf("auth: TOTP secret: %w", err)
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return "", "", fmt.Errorf("auth: QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", "", err
	}
	return key.Secret(), "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// GroupSecret writes a base32 secret in groups of four, for a person to type.
func GroupSecret(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CheckTOTP checks a code of an authenticator app at now. It accepts the code of the current
// time step or of the one before or after, but only a step later than lastStep, the step of
// the last code accepted: no code works twice. It returns the step of the code.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := current + d
		if s <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// RecoveryCodeCount is how many recovery codes a person gets at once.
const RecoveryCodeCount = 10

// recoveryAlphabet has no letters that look alike (0/O, 1/I/L).
const recoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// NewRecoveryCodes returns RecoveryCodeCount codes to show once, "xxxx-xxxx-xxxx-xxxx" (about
// 79 random bits each), and their hashes to store.
func NewRecoveryCodes() (codes []string, hashes [][]byte) {
	for range RecoveryCodeCount {
		var s strings.Builder
		for i := 0; i < 16; {
			var c [1]byte
			rand.Read(c[:]) // never returns an error (crypto/rand, Go 1.24+)
			if int(c[0]) >= 256/len(recoveryAlphabet)*len(recoveryAlphabet) {
				continue // no letter more likely than another
			}
			if i > 0 && i%4 == 0 {
				s.WriteByte('-')
			}
			s.WriteByte(recoveryAlphabet[int(c[0])%len(recoveryAlphabet)])
			i++
		}
		codes = append(codes, s.String())
		hashes = append(hashes, RecoveryCodeHash(s.String()))
	}
	return codes, hashes
}

// RecoveryCodeHash is the stored form of a recovery code, as typed in any case, with or
// without its dashes and spaces. The codes are random and long, so a plain SHA-256 suffices.
func RecoveryCodeHash(code string) []byte {
	code = strings.ToLower(strings.NewReplacer("-", "", " ", "", "\t", "").Replace(code))
	return TokenHash(code)
}
