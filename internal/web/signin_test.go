package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"twintowns/internal/web"
)

func trustProxy(o *web.Options) { o.TrustProxy = true }

// hashesEnough lets the tests' parallel sign-ins hash at once, so that none waits long
// enough to be asked to come back on a slow machine.
func hashesEnough(o *web.Options) { o.PasswordHashes = 8 }

// Forty wrong passwords at once from one address: the failures are counted and judged one
// after the other, so no more passwords are checked than the policy allows.
func TestParallelWrongPasswordsAreCheckedAtMostFiveTimes(t *testing.T) {
	e := newEnv(t, trustProxy, hashesEnough)
	s := e.staff(t, "olli@seinajoki.fi", "seinajoki", false)
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			res := s.do(http.MethodPost, "/admin/login", url.Values{"email": {"olli@seinajoki.fi"}, "password": {fmt.Sprintf("guess number %d", i)}},
				"X-Forwarded-For", "203.0.113.7")
			mu.Lock()
			statuses[res.StatusCode]++
			mu.Unlock()
			if res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") != "900" {
				t.Errorf("Retry-After = %q", res.Header.Get("Retry-After"))
			}
		})
	}
	wg.Wait()
	if statuses[http.StatusUnauthorized] != 5 || statuses[http.StatusTooManyRequests] != 35 {
		t.Errorf("statuses = %v, want 5 × 401 and 35 × 429", statuses)
	}
	var failed, refused, counted int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE action = 'sign_in_failed'),
		count(*) FILTER (WHERE action = 'sign_in_refused' AND detail = 'account_address') FROM audit_log`).Scan(&failed, &refused)
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sign_in_attempts WHERE NOT succeeded`).Scan(&counted)
	if failed != 5 || refused != 35 || counted != 5 {
		t.Errorf("audited %d failed and %d refused sign-ins; %d failures counted", failed, refused, counted)
	}
}

// An attack on an account from one address refuses that address only; refused attempts are
// not failures, and the owner signs in from elsewhere (slowed, not locked out).
func TestOwnerSignsInFromAnotherAddressDuringAnAttack(t *testing.T) {
	e := newEnv(t, trustProxy)
	s := e.staff(t, "olli@seinajoki.fi", "seinajoki", false)
	attack := func(n int) {
		for range n {
			s.do(http.MethodPost, "/admin/login", url.Values{"email": {"olli@seinajoki.fi"}, "password": {"not the password"}},
				"X-Forwarded-For", "198.51.100.66")
		}
	}
	attack(12)
	var counted int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sign_in_attempts WHERE email = 'olli@seinajoki.fi'`).Scan(&counted)
	if counted != 5 {
		t.Errorf("%d attempts counted, want the 5 that were checked", counted)
	}
	// the attacker's address is refused even the right password
	if res := s.do(http.MethodPost, "/admin/login", url.Values{"email": {"olli@seinajoki.fi"}, "password": {password}},
		"X-Forwarded-For", "198.51.100.66"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right password from the attacker's address: %d", res.StatusCode)
	}
	owner := e.staff(t, "", "", false)
	res := owner.do(http.MethodPost, "/admin/login", url.Values{"email": {"olli@seinajoki.fi"}, "password": {password}},
		"X-Forwarded-For", "192.0.2.10")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner from another address: %d\n%s", res.StatusCode, res.body)
	}
	if res := owner.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusOK {
		t.Errorf("owner's session: %d", res.StatusCode)
	}
	// the owner's success ends the account's failures; the attacker's address stays refused
	attack(1)
	var actions []string
	rows, _ := e.db.Pool.Query(context.Background(), `SELECT action || ':' || detail FROM audit_log
		WHERE action LIKE 'sign_in%' ORDER BY id DESC LIMIT 2`)
	for rows.Next() {
		var a string
		rows.Scan(&a)
		actions = append(actions, a)
	}
	if strings.Join(actions, ",") != "sign_in_refused:account_address,sign_in:" {
		t.Errorf("audit log ends with %v", actions)
	}
}
