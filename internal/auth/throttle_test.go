package auth

import (
	"testing"
	"time"

	"twintowns/internal/twinning"
)

func TestThrottle(t *testing.T) {
	th := DefaultThrottle
	tests := []struct {
		name string
		f    twinning.Failures
		want Verdict
	}{
		{"nothing", twinning.Failures{}, Verdict{}},
		{"two", twinning.Failures{Account: 2, Pair: 2, Address: 2}, Verdict{}},
		{"third slows", twinning.Failures{Account: 3, Pair: 3, Address: 3}, Verdict{Delay: 500 * time.Millisecond}},
		{"fourth slows more", twinning.Failures{Account: 4, Pair: 4, Address: 4}, Verdict{Delay: time.Second}},
		{"fifth from the address is refused", twinning.Failures{Account: 5, Pair: 5, Address: 5},
			Verdict{Refused: true, Reason: ReasonAccountAddress, RetryAfter: 15 * time.Minute}},
		// an attack from elsewhere never locks the account: its owner waits, at most MaxDelay
		{"account attacked from elsewhere", twinning.Failures{Account: 500}, Verdict{Delay: 3 * time.Second}},
		{"busy address", twinning.Failures{Address: 20}, Verdict{Refused: true, Reason: ReasonAddress, RetryAfter: 15 * time.Minute}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := th.Decide(tc.f); got != tc.want {
				t.Errorf("Decide(%+v) = %+v; want %+v", tc.f, got, tc.want)
			}
		})
	}
}
