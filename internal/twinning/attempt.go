package twinning

// AttemptKind is what a try to prove who one is offers: a password today; a one-time code
// or a security key may follow. Failures are counted per kind, so each has its own limits.
type AttemptKind string

// AttemptPassword is a sign-in with an e-mail address and a password.
const AttemptPassword AttemptKind = "password"

// Attempt is one try, by whoever sends it, to prove they hold an account.
type Attempt struct {
	Kind    AttemptKind
	Email   string // the account tried, as typed (the store compares it lower-cased)
	Address string // where the try came from
}

// Failures are the recent failed attempts of one kind that judge the next one: for its
// account from anywhere, for its account from its address, and from its address for any
// account. A success ends the account's and the pair's count; refused attempts, never
// checked, are not failures.
type Failures struct {
	Account, Pair, Address int
}

// AttemptOutcome is how a recorded attempt ended.
type AttemptOutcome string

// Outcomes of an attempt that was let through.
const (
	AttemptSucceeded AttemptOutcome = "succeeded"
	AttemptFailed    AttemptOutcome = "failed"
	// AttemptUnchecked is an attempt let through that was not checked after all (no capacity
	// to hash the password): it is not a failure.
	AttemptUnchecked AttemptOutcome = "unchecked"
)
