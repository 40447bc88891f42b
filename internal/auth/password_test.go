package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %s", h)
	}
	if err := CheckPassword(h, "correct horse battery"); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := CheckPassword(h, "correct horse batterY"); err != ErrMismatch {
		t.Errorf("wrong password: %v", err)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("same salt twice")
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("short password accepted")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$a$b", "$argon2id$v=19$m=x$a$b"} {
		if CheckPassword(bad, "x") == nil {
			t.Errorf("bad hash %q accepted", bad)
		}
	}
}

func TestThrottle(t *testing.T) {
	th := DefaultThrottle
	tests := []struct {
		account, address int
		delay            time.Duration
		refuse           bool
	}{
		{0, 0, 0, false},
		{2, 2, 0, false},
		{3, 3, 500 * time.Millisecond, false},
		{4, 4, time.Second, false},
		{5, 5, 0, true},
		{0, 20, 0, true},
	}
	for _, tc := range tests {
		d, r := th.Decide(tc.account, tc.address)
		if d != tc.delay || r != tc.refuse {
			t.Errorf("Decide(%d, %d) = %v, %v; want %v, %v", tc.account, tc.address, d, r, tc.delay, tc.refuse)
		}
	}
}
