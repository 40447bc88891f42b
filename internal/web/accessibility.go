package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/a-h/templ"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/layout"
	"twintowns/templates/pages"
)

// statementPrepared is when the accessibility statement was prepared and the site assessed.
var statementPrepared = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// FeedbackStore keeps accessibility feedback.
type FeedbackStore interface {
	AddFeedback(ctx context.Context, f twinning.Feedback, since time.Time, limit int) (bool, error)
	Feedback(ctx context.Context, siteID int64, limit int) ([]twinning.Feedback, error)
	ForgetFeedbackAddresses(ctx context.Context, now time.Time) (int64, error)
}

// retentionEvery is how often serve forgets the addresses in feedback that outlived their
// site's retention period.
const retentionEvery = time.Hour

// forgetFeedbackAddresses runs until ctx ends: at once, then every retentionEvery. Several
// instances may run it together: each run changes only what is still to change.
func (s *Server) forgetFeedbackAddresses(ctx context.Context) {
	for {
		n, err := s.feedback.ForgetFeedbackAddresses(ctx, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.WarnContext(ctx, "forgetting the addresses in old feedback failed; trying again later", "err", err)
		case n > 0:
			s.log.InfoContext(ctx, "addresses in old feedback forgotten", "messages", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(retentionEvery):
		}
	}
}

// accessibilityPage is the site's accessibility statement.
func (s *Server) accessibilityPage(r *http.Request) (templ.Component, error) {
	p, c, err := s.pageFrame(r, "/accessibility")
	if err != nil {
		return nil, err
	}
	tr := locale.From(r.Context())
	p.Title = tr.T("a11y.title") + " – " + p.SiteName
	p.Description = tr.T("a11y.status.text")
	return pages.AccessibilityPage(p, pages.Statement{SiteName: p.SiteName, Country: c.Site.Country, Prepared: statementPrepared,
		RetentionMonths: c.Site.FeedbackRetentionMonths}), nil
}

// feedbackPage is the empty feedback form.
func (s *Server) feedbackPage(r *http.Request) (templ.Component, error) {
	p, err := s.feedbackFrame(r, "/accessibility/feedback")
	if err != nil {
		return nil, err
	}
	return pages.FeedbackPage(p, pages.FeedbackForm{}), nil
}

// feedbackThanksPage confirms that a message was received.
func (s *Server) feedbackThanksPage(r *http.Request) (templ.Component, error) {
	p, err := s.feedbackFrame(r, "/accessibility/feedback/thanks")
	if err != nil {
		return nil, err
	}
	return pages.FeedbackThanks(p), nil
}

func (s *Server) feedbackFrame(r *http.Request, path string) (layout.Page, error) {
	p, _, err := s.pageFrame(r, path)
	if err != nil {
		return p, err
	}
	tr := locale.From(r.Context())
	p.Title = tr.T("feedback.title") + " – " + p.SiteName
	p.Description = tr.T("feedback.intro")
	return p, nil
}

// handleFeedback stores a report of an accessibility problem. Empty or oversized input comes
// back with a message and everything typed; a bot that fills the hidden field is thanked and
// ignored; an address that sent too many messages in the last hour is refused for a while.
func (s *Server) handleFeedback(w http.ResponseWriter, r *http.Request) error {
	site, err := s.siteFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil { // its route read it (limitFeedback)
		return twinning.Errorf(twinning.EINVALID, "feedback form: %v", err)
	}
	lang := locale.From(r.Context()).Lang
	thanks := "/" + lang + "/accessibility/feedback/thanks"
	if r.PostForm.Get("website") != "" {
		s.log.InfoContext(r.Context(), "feedback honeypot filled: ignored", "address", s.clientAddress(r))
		http.Redirect(w, r, thanks, http.StatusSeeOther)
		return nil
	}
	f := twinning.Feedback{SiteID: site.ID, Lang: lang, Message: strings.TrimSpace(r.PostForm.Get("message")),
		Page: strings.TrimSpace(r.PostForm.Get("page")), Email: strings.TrimSpace(r.PostForm.Get("email")),
		Address: s.clientAddress(r)}
	form := pages.FeedbackForm{Message: r.PostForm.Get("message"), Page: f.Page, Email: f.Email, Errors: f.Validate()}
	if len(form.Errors) > 0 {
		return s.feedbackForm(w, r, http.StatusUnprocessableEntity, form)
	}
	stored, err := s.feedback.AddFeedback(r.Context(), f, time.Now().Add(-time.Hour), twinning.FeedbackPerHour)
	if err != nil {
		return err
	}
	if !stored {
		s.log.WarnContext(r.Context(), "feedback refused: too many from one address", "address", f.Address)
		form.Status = "feedback.error.rate"
		return s.feedbackForm(w, r, http.StatusTooManyRequests, form)
	}
	http.Redirect(w, r, thanks, http.StatusSeeOther)
	return nil
}

func (s *Server) feedbackForm(w http.ResponseWriter, r *http.Request, status int, form pages.FeedbackForm) error {
	p, err := s.feedbackFrame(r, "/accessibility/feedback")
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	s.page(w, r, status, pages.FeedbackPage(p, form))
	return nil
}
