// Package oidctest starts a real OpenID provider on a loopback port for the tests: the
// example OP of github.com/zitadel/oidc (its op package, storage and login form), with the
// users and clients a test gives. Clients may misbehave on purpose (tokens for another
// audience, tokens already expired), which is what a relying party must refuse.
package oidctest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is a person with an account at the provider.
type User struct {
	ID            string // the stable subject
	Username      string
	Password      string
	Email         string
	EmailVerified bool
	GivenName     string
	FamilyName    string
	Groups        []string // sent in the ID token's "groups" claim
}

// Client is a relying party registered at the provider.
type Client struct {
	ID, Secret   string
	RedirectURIs []string
	// IDTokenLifetime, when not zero, replaces the provider's hour (negative: tokens are born
	// expired).
	IDTokenLifetime time.Duration
	// OtherAudience, when set, is the one audience of the client's tokens instead of the
	// client: the provider mixes its clients up.
	OtherAudience string
}

// Provider is the running provider.
type Provider struct {
	Issuer string
	srv    *http.Server
	store  *opStorage
}

// Start starts a provider with the users and clients on a loopback port until the test ends.
func Start(t testing.TB, users []User, clients ...Client) *Provider {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{Issuer: "http://localhost:" + fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)}
	p.store = &opStorage{users: &userStore{users: map[string]*User{}}, clients: map[string]*storage.Client{}, quirks: map[string]Client{}}
	for _, u := range users {
		p.store.users.put(u)
	}
	p.store.Storage = storage.NewStorageWithClients(p.store.users, p.store.clients)
	for _, c := range clients {
		p.AddClient(c)
	}
	// the example sets its logger as the process's default: a silent one
	router := exampleop.SetupServer(p.Issuer, p.store, slog.New(slog.DiscardHandler), false)
	p.srv = &http.Server{Handler: router, ReadHeaderTimeout: 5 * time.Second}
	go p.srv.Serve(ln)
	t.Cleanup(p.Stop)
	return p
}

// Stop stops the provider: from now on it does not answer.
func (p *Provider) Stop() { p.srv.Close() }

// AddClient registers a client (before its first sign-in).
func (p *Provider) AddClient(c Client) {
	p.store.mu.Lock()
	defer p.store.mu.Unlock()
	p.store.clients[c.ID] = storage.WebClient(c.ID, c.Secret, c.RedirectURIs...)
	p.store.quirks[c.ID] = c
}

// SetUser adds or changes a user.
func (p *Provider) SetUser(u User) { p.store.users.put(u) }

// SignIn plays the person at the provider: it follows authURL (the relying party's redirect
// to the provider) with client c, signs in on the provider's form and returns the URL the
// provider sends the browser back to, without following it.
func (p *Provider) SignIn(c *http.Client, authURL, username, password string) (*url.URL, error) {
	next, err := url.Parse(authURL)
	if err != nil {
		return nil, err
	}
	op, _ := url.Parse(p.Issuer)
	for range 10 {
		if next.Host != op.Host {
			return next, nil // back to the relying party
		}
		var res *http.Response
		if next.Path == "/login/username" {
			id := next.Query().Get("authRequestID")
			res, err = c.PostForm(next.String(), url.Values{"username": {username}, "password": {password}, "id": {id}})
		} else {
			res, err = c.Get(next.String())
		}
		if err != nil {
			return nil, err
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		loc := res.Header.Get("Location")
		switch {
		case loc != "":
			if next, err = next.Parse(loc); err != nil {
				return nil, err
			}
		case res.StatusCode == http.StatusOK && strings.Contains(string(body), `name="password"`) && next.Path == "/login/username":
			return nil, fmt.Errorf("oidctest: the provider refused %s: %s", username, loginError(body))
		case res.StatusCode == http.StatusOK && next.Path == "/login/username":
			continue // the login form: post it (the loop does on the next turn)
		default:
			return nil, fmt.Errorf("oidctest: %s answered %d: %.300s", next, res.StatusCode, body)
		}
	}
	return nil, fmt.Errorf("oidctest: too many redirects from %s", authURL)
}

var errorRE = regexp.MustCompile(`(?s)<div class="error"[^>]*>(.*?)</div>`)

func loginError(body []byte) string {
	if m := errorRE.FindSubmatch(body); m != nil {
		return strings.TrimSpace(string(m[1]))
	}
	return "login form shown again"
}

// opStorage is the example's storage, with the users of the test, their groups in ID
// tokens, and the clients' misbehaviour.
type opStorage struct {
	*storage.Storage
	users   *userStore
	mu      sync.Mutex
	clients map[string]*storage.Client
	quirks  map[string]Client
}

func (s *opStorage) quirk(clientID string) Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quirks[clientID]
}

func (s *opStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	q := s.quirk(id)
	if q.OtherAudience != "" {
		c = otherClient{c, q.OtherAudience}
	}
	if q.IDTokenLifetime != 0 {
		c = shortLived{c, q.IDTokenLifetime}
	}
	return c, nil
}

type otherClient struct {
	op.Client
	id string
}

func (c otherClient) GetID() string { return c.id }

type shortLived struct {
	op.Client
	lifetime time.Duration
}

func (c shortLived) IDTokenLifetime() time.Duration { return c.lifetime }

func (s *opStorage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	r, err := s.Storage.AuthRequestByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if q := s.quirk(r.GetClientID()); q.OtherAudience != "" {
		return otherAudience{r, q.OtherAudience}, nil
	}
	return r, nil
}

type otherAudience struct {
	op.AuthRequest
	audience string
}

func (r otherAudience) GetAudience() []string { return []string{r.audience} }
func (r otherAudience) GetClientID() string   { return r.audience }

// SetUserinfoFromRequest adds the user's groups to the ID token, as Keycloak's group mapper
// and Entra ID's group claim do.
func (s *opStorage) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, token, scopes); err != nil {
		return err
	}
	if u := s.users.byID(token.GetSubject()); u != nil && len(u.Groups) > 0 {
		info.AppendClaims("groups", slices.Clone(u.Groups))
	}
	return nil
}

// userStore is the example's user store interface over the test's users.
type userStore struct {
	mu    sync.Mutex
	users map[string]*User
}

func (s *userStore) put(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = &u
}

func (s *userStore) byID(id string) *User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[id]
}

func (s *userStore) example(u *User) *storage.User {
	if u == nil {
		return nil
	}
	return &storage.User{ID: u.ID, Username: u.Username, Password: u.Password, FirstName: u.GivenName, LastName: u.FamilyName,
		Email: u.Email, EmailVerified: u.EmailVerified, PreferredLanguage: language.Finnish}
}

func (s *userStore) GetUserByID(id string) *storage.User { return s.example(s.byID(id)) }

func (s *userStore) GetUserByUsername(name string) *storage.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.Username == name {
			return s.example(u)
		}
	}
	return nil
}

func (s *userStore) ExampleClientID() string { return storage.ServiceUserID }
