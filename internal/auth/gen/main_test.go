package main

import (
	"os"
	"testing"
)

// The committed list is the one gen writes: run `go generate ./internal/auth` after
// changing zxcvbn's version.
func TestListIsFresh(t *testing.T) {
	b, err := os.ReadFile("../passwords.txt")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != list() {
		t.Error("internal/auth/passwords.txt is stale: run go generate ./internal/auth")
	}
}
