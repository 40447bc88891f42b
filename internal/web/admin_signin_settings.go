package web

import (
	"maps"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handleSignInSettings shows administrators the instance's sign-in: the second-factor
// policy, and per provider its configuration, the callback URLs to register and the rules
// that give the people of its groups their access.
func (s *Server) handleSignInSettings(w http.ResponseWriter, r *http.Request) error {
	return s.signInSettingsPage(w, r, http.StatusOK, "", admin.Form{})
}

func (s *Server) signInSettingsPage(w http.ResponseWriter, r *http.Request, status int, provider string, form admin.Form) error {
	ctx := r.Context()
	policy, err := s.identity.SecondFactorPolicy(ctx)
	if err != nil {
		return err
	}
	sites, err := s.siteOptions(r)
	if err != nil {
		return err
	}
	langs, err := s.publishedLanguages(r)
	if err != nil {
		return err
	}
	all, err := s.sites(ctx)
	if err != nil {
		return err
	}
	p := admin.SignInSettings{Policy: policy, Passwords: !s.opts.NoPasswords, Sites: sites, Langs: langs,
		FormProvider: provider, Form: form}
	if s.opts.Providers != nil {
		for _, pr := range s.opts.Providers.List() {
			issuer, client, claim, _ := s.opts.Providers.Describe(pr.ID)
			settings, err := s.identity.ProviderSettings(ctx, pr.ID)
			if err != nil {
				return err
			}
			v := admin.ProviderView{Provider: pr, Issuer: issuer, ClientID: client, GroupsClaim: claim, Settings: settings}
			scheme := "http"
			if s.isTLS(r) {
				scheme = "https"
			}
			seen := map[string]bool{r.Host: true}
			v.Callbacks = append(v.Callbacks, s.callbackURL(r, pr.ID))
			for _, site := range all {
				for _, h := range site.Hosts {
					if !seen[h] {
						seen[h] = true
						v.Callbacks = append(v.Callbacks, scheme+"://"+h+"/admin/oidc/"+pr.ID+"/callback")
					}
				}
			}
			p.Providers = append(p.Providers, v)
		}
	}
	s.page(w, r, status, admin.SignInSettingsPage(s.frame(r, "admin.signin.title"), p))
	return nil
}

// handleSecondFactorPolicy changes who must have a second factor.
func (s *Server) handleSecondFactorPolicy(w http.ResponseWriter, r *http.Request) error {
	p := twinning.SecondFactorPolicy(r.PostFormValue("second_factor"))
	if !p.Valid() {
		return s.signInSettingsPage(w, r, http.StatusUnprocessableEntity, "", admin.Form{
			Errors: twinning.FieldErrors{twinning.Fact("second_factor"): "validation.choice"}})
	}
	if err := s.identity.SetSecondFactorPolicy(r.Context(), p, s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.flash.saved")
	http.Redirect(w, r, "/admin/identity", http.StatusSeeOther)
	return nil
}

// providerParam is the configured provider of the URL.
func (s *Server) providerParam(r *http.Request) (string, error) {
	id := chi.URLParam(r, "provider")
	if s.opts.Providers != nil {
		if _, _, _, ok := s.opts.Providers.Describe(id); ok {
			return id, nil
		}
	}
	return "", twinning.Errorf(twinning.ENOTFOUND, "no provider %q", id)
}

// handleProviderSave lets a provider make accounts, or stops it.
func (s *Server) handleProviderSave(w http.ResponseWriter, r *http.Request) error {
	id, err := s.providerParam(r)
	if err != nil {
		return err
	}
	if err := s.identity.SetProviderAutoAccounts(r.Context(), id, r.PostFormValue("auto_accounts") != "", s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.flash.saved")
	http.Redirect(w, r, "/admin/identity#provider-"+id, http.StatusSeeOther)
	return nil
}

// handleProviderRuleAdd gives the people of a group of the provider a role, sites and
// languages.
func (s *Server) handleProviderRuleAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := s.providerParam(r)
	if err != nil {
		return err
	}
	a := parseAccess(r)
	claim := strings.TrimSpace(r.PostFormValue("claim"))
	a.form.Values[twinning.Fact("claim")] = claim
	if claim == "" || len(claim) > twinning.MaxClaimLen {
		a.form.Errors[twinning.Fact("claim")] = "validation.required"
	}
	if len(a.form.Errors) == 0 {
		err = s.identity.AddProviderRule(r.Context(), id, twinning.ProviderRule{Claim: claim, Role: a.role, Sites: a.sites, Langs: a.langs}, s.actor(r))
		if err == nil {
			flash(r, "admin.flash.saved")
			http.Redirect(w, r, "/admin/identity#provider-"+id, http.StatusSeeOther)
			return nil
		}
		errs := fieldErrors(err)
		if errs == nil {
			return err
		}
		maps.Copy(a.form.Errors, errs)
	}
	return s.signInSettingsPage(w, r, http.StatusUnprocessableEntity, id, a.form)
}

// handleProviderRuleDelete removes a rule of a provider.
func (s *Server) handleProviderRuleDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := s.providerParam(r)
	if err != nil {
		return err
	}
	rule, err := idParam(r, "rule")
	if err != nil {
		return err
	}
	if err := s.identity.DeleteProviderRule(r.Context(), id, rule, s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.flash.saved")
	http.Redirect(w, r, "/admin/identity#provider-"+id, http.StatusSeeOther)
	return nil
}

// handleUserFactorsReset removes every second factor of an account, for a person who lost
// them all; they set up new ones at their next sign-in if the policy asks.
func (s *Server) handleUserFactorsReset(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	if err := s.identity.RemoveSecondFactors(r.Context(), u.ID, s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.users.factors_removed")
	http.Redirect(w, r, "/admin/users/"+chi.URLParam(r, "id"), http.StatusSeeOther)
	return nil
}
