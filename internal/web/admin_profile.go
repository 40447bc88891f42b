package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"twintowns/internal/auth"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handleProfile shows a person their own account: name, staff language, password, second
// factors, linked provider accounts and sessions.
func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) error {
	return s.profilePage(w, r, http.StatusOK, admin.Form{})
}

// profilePage renders the profile with the form values and errors of a form that failed.
func (s *Server) profilePage(w http.ResponseWriter, r *http.Request, status int, form admin.Form) error {
	ctx := r.Context()
	u := currentUser(r)
	pu, f, err := s.passkeyUser(ctx, r, u)
	if err != nil {
		return err
	}
	ids, err := s.identity.Identities(ctx, u.ID)
	if err != nil {
		return err
	}
	sessions, err := s.identity.StaffSessions(ctx, u.ID, sessionIdle)
	if err != nil {
		return err
	}
	st := twinning.StaffSession{Method: twinning.MethodPassword}
	for _, ss := range sessions {
		if ss.ID == currentSession(r) {
			st = ss
		}
	}
	required, err := s.needsSecondFactor(ctx, u, st)
	if err != nil {
		return err
	}
	options, state, err := auth.BeginPasskeyRegistration(s.passkeyParty(r), pu)
	if err != nil { // a host no passkey can belong to (an IP address)
		s.log.WarnContext(ctx, "no passkeys on this host", "host", r.Host, "err", err)
	} else {
		session(r).Put(ctx, webauthnKey, state)
	}
	if form.Values == nil {
		form.Values = map[twinning.FieldKey]string{}
	}
	if _, ok := form.Values[twinning.Fact("name")]; !ok {
		form.Values[twinning.Fact("name")] = u.Name
		form.Values[twinning.Fact("staff_lang")] = u.StaffLang
	}
	p := admin.ProfilePage{User: u, Form: form, Langs: s.locales.Languages(), Passwords: u.HasPassword && !s.opts.NoPasswords,
		Factors: f, Host: s.passkeyParty(r).ID, PasskeyOptions: string(options), Required: required, CurrentSession: currentSession(r),
		Sessions: sessions}
	names := map[string]string{}
	if s.opts.Providers != nil {
		for _, pr := range s.opts.Providers.List() {
			names[pr.ID] = pr.Name
		}
	}
	for _, id := range ids {
		name := names[id.Provider]
		if name == "" {
			name = id.Provider
		}
		p.Identities = append(p.Identities, admin.IdentityRow{Identity: id, ProviderName: name})
	}
	fr := s.frame(r, "admin.profile.title")
	fr.Scripts = []string{s.assets.url("js/passkey.js")}
	s.page(w, r, status, admin.ProfilePageView(fr, p))
	return nil
}

// handleProfileSave stores the person's name and staff language.
func (s *Server) handleProfileSave(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.PostFormValue("name"))
	lang := r.PostFormValue("staff_lang")
	form := admin.Form{Values: map[twinning.FieldKey]string{twinning.Fact("name"): name, twinning.Fact("staff_lang"): lang},
		Errors: twinning.FieldErrors{}}
	if lang != "" && !s.locales.Has(lang) {
		form.Errors[twinning.Fact("staff_lang")] = "validation.choice"
	}
	if len([]rune(name)) > 200 {
		form.Errors[twinning.Fact("name")] = "validation.too_long"
	}
	if len(form.Errors) > 0 {
		return s.profilePage(w, r, http.StatusUnprocessableEntity, form)
	}
	if err := s.identity.SaveProfile(r.Context(), currentUser(r).ID, name, lang, s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.flash.saved")
	http.Redirect(w, r, "/admin/profile", http.StatusSeeOther)
	return nil
}

// handleProfilePassword changes the person's password: the current one is checked (and
// throttled like a sign-in), the new one must be strong; the person's other sessions end.
func (s *Server) handleProfilePassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(r)
	if s.opts.NoPasswords || !u.HasPassword {
		return twinning.Errorf(twinning.EFORBIDDEN, "%s has no password to change", u.Email)
	}
	current, pw, pw2 := r.PostFormValue("current_password"), r.PostFormValue("new_password"), r.PostFormValue("new_password2")
	errs := twinning.FieldErrors{}
	fail := func(status int) error {
		return s.profilePage(w, r, status, admin.Form{Errors: errs})
	}
	if weak := auth.CheckStrength(pw, s.guessableWords(ctx, u.Email)...); weak != "" {
		errs[twinning.Fact("new_password")] = "validation.password_" + string(weak)
	} else if pw2 != pw {
		errs[twinning.Fact("new_password2")] = "validation.password_mismatch"
	}
	if current == "" || len(current) > auth.MaxPasswordLen {
		errs[twinning.Fact("current_password")] = "admin.profile.current_password_wrong"
	}
	if len(errs) > 0 {
		return fail(http.StatusUnprocessableEntity)
	}
	_, stored, err := s.admin.UserByEmail(ctx, u.Email)
	if err != nil {
		return err
	}
	var newHash string
	ok, retry, err := s.attempt(ctx, twinning.Attempt{Kind: twinning.AttemptPassword, Email: u.Email, Address: s.clientAddress(r)},
		s.throttle, &u.ID, func() (bool, error) {
			var checked, hashed error
			if err := s.hashes.Do(ctx, func() { checked = auth.CheckPassword(stored, current) }); err != nil {
				return false, err
			}
			if checked != nil {
				return false, nil
			}
			if err := s.hashes.Do(ctx, func() { newHash, hashed = auth.HashPassword(pw) }); err != nil {
				return false, err
			}
			return true, hashed
		})
	switch {
	case errors.Is(err, auth.ErrBusy):
		w.Header().Set("Retry-After", strconv.Itoa(int(hashWait.Seconds())))
		errs[twinning.Fact("current_password")] = "admin.login.busy"
		return fail(http.StatusTooManyRequests)
	case err != nil:
		return err
	case retry > 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())))
		errs[twinning.Fact("current_password")] = "admin.login.locked"
		return fail(http.StatusTooManyRequests)
	case !ok:
		errs[twinning.Fact("current_password")] = "admin.profile.current_password_wrong"
		return fail(http.StatusUnprocessableEntity)
	}
	epoch, err := s.identity.ChangePassword(ctx, u.ID, newHash, currentSession(r), s.actor(r))
	if err != nil {
		return err
	}
	keepSession(r, epoch)
	flash(r, "admin.profile.password_changed")
	http.Redirect(w, r, "/admin/profile", http.StatusSeeOther)
	return nil
}

// handleSessionsEnd signs the person out everywhere but here.
func (s *Server) handleSessionsEnd(w http.ResponseWriter, r *http.Request) error {
	epoch, err := s.identity.EndOtherSessions(r.Context(), currentUser(r).ID, currentSession(r), s.actor(r))
	if err != nil {
		return err
	}
	keepSession(r, epoch)
	flash(r, "admin.profile.sessions_ended")
	http.Redirect(w, r, "/admin/profile#sessions", http.StatusSeeOther)
	return nil
}

// handleIdentityUnlink removes the link of the person's account to a provider account.
func (s *Server) handleIdentityUnlink(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	if err := s.identity.Unlink(r.Context(), currentUser(r).ID, id, s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.profile.identity_removed")
	http.Redirect(w, r, "/admin/profile#identities", http.StatusSeeOther)
	return nil
}
