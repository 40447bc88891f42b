package auth

import (
	"time"

	"twintowns/internal/twinning"
)

// Throttle is the policy for failed attempts within Window, of one kind (a password now, a
// one-time code later: each kind is counted apart and may have its own Throttle).
//
// It never locks an account: failures of an account from anywhere only slow its next
// attempts (SlowAfter, Step, MaxDelay), so its owner still gets in from wherever they are
// while an attack goes on. What it refuses is one address: PairLimit failures for an account
// from one address refuse that address for that account, AddressLimit failures from one
// address refuse it for every account, until the oldest failures leave the window. Refused
// attempts are not checked and not counted, so trying on does not prolong a refusal.
type Throttle struct {
	Window       time.Duration
	SlowAfter    int
	Step         time.Duration
	MaxDelay     time.Duration
	PairLimit    int
	AddressLimit int
}

// DefaultThrottle is the policy of the product's sign-in.
var DefaultThrottle = Throttle{
	Window: 15 * time.Minute, SlowAfter: 3, Step: 500 * time.Millisecond, MaxDelay: 3 * time.Second,
	PairLimit: 5, AddressLimit: 20,
}

// Verdict is what the throttle decides of an attempt: refuse it (Reason says which limit,
// for the audit log; the client may try again after RetryAfter), or check it after Delay.
type Verdict struct {
	Refused    bool
	Reason     string
	RetryAfter time.Duration
	Delay      time.Duration
}

// Reasons of a refusal.
const (
	ReasonAccountAddress = "account_address" // too many failures for the account from this address
	ReasonAddress        = "address"         // too many failures from this address
)

// Decide judges an attempt by the recent failures.
func (t Throttle) Decide(f twinning.Failures) Verdict {
	switch {
	case f.Pair >= t.PairLimit:
		return Verdict{Refused: true, Reason: ReasonAccountAddress, RetryAfter: t.Window}
	case f.Address >= t.AddressLimit:
		return Verdict{Refused: true, Reason: ReasonAddress, RetryAfter: t.Window}
	case f.Account >= t.SlowAfter:
		return Verdict{Delay: min(t.MaxDelay, time.Duration(f.Account-t.SlowAfter+1)*t.Step)}
	}
	return Verdict{}
}
