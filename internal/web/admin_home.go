package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// WorkStore is what the staff home reads beyond the entries: drafts with their authors, and
// the accessibility feedback a person has not seen.
type WorkStore interface {
	Drafts(ctx context.Context, siteID int64) ([]twinning.Draft, error)
	NewFeedback(ctx context.Context, siteID, userID int64) (int, error)
	SeeFeedback(ctx context.Context, siteID, userID, seen int64) error
}

// homeSites is how many sites the staff home shows; an administrator of more finds the others
// in the list of sites.
const homeSites = 10

// toTranslate is how many fields waiting for a translation the home names one by one.
const toTranslate = 5

// homeChanges is how many of a site's last changes the home shows.
const homeChanges = 6

// handleAdminHome shows the work waiting on every site the person works on. Administrators
// are warned there when requests seem to come through a proxy that TRUST_PROXY does not trust.
func (s *Server) handleAdminHome(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	sites, more, err := s.mySites(r.Context(), u, locale.From(r.Context()).Lang, homeSites)
	if err != nil {
		return err
	}
	var v admin.HomeView
	if more {
		v.AllSites = "/admin/sites"
	}
	for _, site := range sites {
		work, err := s.siteWork(r, site)
		if err != nil {
			return err
		}
		v.Sites = append(v.Sites, work)
	}
	if u.CanManageUsers() {
		users, err := s.users.Users(r.Context())
		if err != nil {
			return err
		}
		for _, x := range users {
			if !x.HasPassword && x.DisabledAt == nil {
				v.Waiting = append(v.Waiting, admin.WaitingAccount{Email: x.Email, Invited: x.CreatedAt,
					URL: "/admin/users/" + strconv.FormatInt(x.ID, 10)})
			}
		}
	}
	f := s.frame(r, "admin.home.title")
	if u.IsAdmin && s.proxy.suspected.Load() {
		f.Warning = "admin.warning.proxy"
	}
	s.page(w, r, http.StatusOK, admin.HomePage(f, v))
	return nil
}

// mySites returns the first n sites (by name in lang) that u works on, loaded, and whether
// there are more: a page of them, never every site of the instance.
func (s *Server) mySites(ctx context.Context, u twinning.User, lang string, n int) ([]twinning.Site, bool, error) {
	q := twinning.SiteQuery{Lang: lang, Limit: n}
	if !u.IsAdmin {
		q.IDs = append([]int64{}, u.Sites...) // none is none, not all
	}
	names, total, err := s.admin.SiteList(ctx, q)
	if err != nil {
		return nil, false, err
	}
	sites := make([]twinning.Site, 0, len(names))
	for _, x := range names {
		site, err := s.admin.SiteBySlug(ctx, x.Slug)
		if err != nil {
			return nil, false, err
		}
		sites = append(sites, site)
	}
	return sites, total > len(names), nil
}

// handleSiteHome shows the work waiting on the request's site.
func (s *Server) handleSiteHome(w http.ResponseWriter, r *http.Request) error {
	work, err := s.siteWork(r, adminSite(r))
	if err != nil {
		return err
	}
	s.page(w, r, http.StatusOK, admin.SitePage(s.frame(r, "admin.home.site", "Site", work.Site.Name), work))
	return nil
}

// siteWork is the work waiting on a site for the signed-in person: drafts (theirs and
// others'), the fields missing and out of date in each language they translate with the
// first of them by name, the required languages' distance from parity, new feedback, jobs
// with agencies, and the last changes with who made them and when.
func (s *Server) siteWork(r *http.Request, site twinning.Site) (admin.SiteWork, error) {
	ctx, u, tr := r.Context(), currentUser(r), locale.From(r.Context())
	urls := adminURLs{site.Slug}
	w := admin.SiteWork{Site: siteRef(site, tr.Lang), JobsURL: urls.jobs()}
	entries, err := s.entriesOf(ctx, site.ID)
	if err != nil {
		return w, err
	}
	names := newEntryNames(tr, site, entries)
	item := func(x siteEntry) admin.WorkItem {
		return admin.WorkItem{Name: names.name(x.e), Detail: names.detail(x.e), Type: tr.T("admin.type." + x.ct.Name),
			URL: urls.entry(x.ct, x.e.ID)}
	}

	drafts, err := s.admin.Drafts(ctx, site.ID)
	if err != nil {
		return w, err
	}
	for _, d := range drafts {
		e, ok := names.entry(d.Type, d.ID)
		if !ok {
			continue
		}
		it := item(siteEntry{e.Type, e})
		it.Who, it.When = d.AuthorEmail, d.SavedAt
		if d.AuthorID == u.ID {
			w.MyDrafts = append(w.MyDrafts, it)
		} else {
			w.OtherDrafts = append(w.OtherDrafts, it)
		}
	}

	gaps := map[string]int{}
	for _, g := range parityGaps(tr, site, entries) {
		gaps[g.Lang]++
	}
	waiting := 0
	for _, lang := range site.Languages {
		if !u.CanEditText(site.ID, lang) {
			continue
		}
		l := admin.LangWork{Lang: lang, Required: slices.Contains(site.RequiredLangs, lang), Gaps: gaps[lang],
			MissingURL:  urls.translations() + "?" + url.Values{"lang": {lang}, "state": {string(twinning.TranslationMissing)}}.Encode(),
			OutdatedURL: urls.translations() + "?" + url.Values{"lang": {lang}, "state": {string(twinning.TranslationOutdated)}}.Encode(),
			ParityURL:   urls.translations() + "#parity"}
		for _, x := range entries {
			x.e.TranslationWork(site, lang, func(fd twinning.TextField, _ string, st twinning.TranslationState) {
				switch st {
				case twinning.TranslationMissing:
					l.Missing++
				case twinning.TranslationOutdated:
					l.Outdated++
				default:
					return
				}
				waiting++
				if len(w.ToTranslate) == toTranslate {
					return
				}
				it := item(x)
				it.URL = urls.entry(x.ct, x.e.ID) + "/translate?" + url.Values{"to": {lang}}.Encode() + "#" + twinning.TextKey(fd.Key, lang).String()
				it.Field, it.Lang, it.State = tr.T("admin.field."+fd.Key), lang, st
				w.ToTranslate = append(w.ToTranslate, it)
			})
		}
		w.Langs = append(w.Langs, l)
	}
	if waiting > len(w.ToTranslate) {
		w.MoreToTranslate = urls.translations()
	}

	if u.CanReadFeedback(site.ID) {
		w.FeedbackURL = urls.feedback()
		if w.NewFeedback, err = s.admin.NewFeedback(ctx, site.ID, u.ID); err != nil {
			return w, err
		}
	}
	jobs, err := s.admin.Jobs(ctx, site.ID)
	if err != nil {
		return w, err
	}
	for _, j := range jobs {
		if (j.Status == twinning.JobSent || j.Status == twinning.JobReturned) && u.CanEditText(site.ID, j.TargetLang) {
			w.Jobs++
		}
	}

	log, err := s.admin.AuditLog(ctx, &site.ID, 100)
	if err != nil {
		return w, err
	}
	for _, a := range log {
		ct, ok := twinning.Types.Type(a.Entity)
		if !ok || a.EntityID == nil || len(w.Changes) == homeChanges {
			continue
		}
		c := admin.WorkItem{Name: a.Detail, Type: tr.T("admin.type." + ct.Name), Action: "admin.action_name." + a.Action,
			Who: a.UserEmail, When: a.At}
		if e, ok := names.entry(ct.Name, *a.EntityID); ok {
			it := item(siteEntry{ct, e})
			c.Name, c.Detail, c.URL = it.Name, it.Detail, it.URL
		}
		w.Changes = append(w.Changes, c)
	}
	if u.IsAdmin {
		w.ChangesURL = "/admin/audit"
	}
	return w, nil
}
