package web

import (
	"net/http"
	"strconv"
	"strings"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// The translator's screen, for every content type: one target language, each field beside
// its source, the word diff of what changed in the source since the translation was
// checked, a "checked, still correct" mark per field. It saves only the target language.

// translateLangs reads ?from and ?to (or the posted from): the target must be a language of
// the site; the source defaults to what the target was translated from, else the site's
// source language.
func translateLangs(r *http.Request, site twinning.Site, e twinning.Entry) (from, to string, err error) {
	to = r.URL.Query().Get("to")
	if !site.Publishes(to) {
		return "", "", twinning.Errorf(twinning.ENOTFOUND, "no language %q in site %s", to, site.Slug)
	}
	if !currentUser(r).CanEditText(site.ID, to) {
		return "", "", forbid(r, "translate into "+to)
	}
	from = r.URL.Query().Get("from")
	if f := r.PostFormValue("from"); f != "" {
		from = f
	}
	if !site.Publishes(from) || from == to {
		from = e.Texts[to].TranslatedFrom
	}
	if !site.Publishes(from) || from == to {
		from = site.SourceLang
	}
	if from == to {
		for _, l := range site.Languages {
			if l != to {
				from = l
				break
			}
		}
	}
	return from, to, nil
}

// handleTranslate shows the translator's screen of an entry.
func (s *Server) handleTranslate(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		e, err := s.workingEntry(r, ct)
		if err != nil {
			return err
		}
		from, to, err := translateLangs(r, adminSite(r), e)
		if err != nil {
			return err
		}
		f := admin.Form{Values: fieldsOf(e)}
		return s.translatePage(w, r, ct, http.StatusOK, e, from, to, f, admin.TranslateView{Version: strconv.Itoa(e.Version)})
	})
}

// translatePage renders the translator's screen; shown is the entry as the form holds it.
func (s *Server) translatePage(w http.ResponseWriter, r *http.Request, ct *twinning.Type, status int,
	shown twinning.Entry, from, to string, f admin.Form, v admin.TranslateView) error {
	site := adminSite(r)
	tr := locale.From(r.Context())
	revs, err := s.admin.Revisions(r.Context(), ct, site.ID, shown.ID)
	if err != nil {
		return err
	}
	v.From, v.To, v.Form, v.CanPublish = from, to, f, currentUser(r).CanPublish(site.ID)
	base := s.urls(r).entry(ct, shown.ID)
	v.Action = base + "/translate?to=" + to
	v.Back = base
	for _, l := range site.Languages {
		v.Languages = append(v.Languages, admin.Option{Value: l, Label: tr.Language(l)})
	}
	target := shown.Texts[to]
	src := shown.Texts[from]
	terms, err := s.glossaryTerms(r, from, to)
	if err != nil {
		return err
	}
	entries, err := s.siteEntries(r)
	if err != nil {
		return err
	}
	for _, fd := range ct.Fields {
		tf := admin.TranslateField{Field: fd, Source: src.Fields[fd.Key], State: shown.FieldState(to, fd.Key)}
		tf.Warnings = qualityWarnings(fd, tf.Source, target.Fields[fd.Key], terms)
		// the memory: up to three translations of the same or a similar source on the site
		if strings.TrimSpace(tf.Source) != "" {
			pairs := memoryPairs(entries, from, to, unitID(siteEntry{ct, shown}, fd.Key))
			matches, err := s.admin.Similar(r.Context(), tf.Source, pairs, 3)
			if err != nil {
				return err
			}
			for _, m := range matches {
				if m.Target != target.Fields[fd.Key] {
					tf.Memory = append(tf.Memory, admin.MemoryMatch{Source: m.Source, Target: m.Target, Quality: m.Quality})
				}
			}
		}
		if target.TranslatedFrom == from && tf.State == twinning.TranslationOutdated {
			if old, ok := sourceWhenReviewed(revs, from, fd.Key, target.Reviewed[fd.Key]); ok {
				tf.Changed = true
				tf.OldSource, tf.NewSource = wordDiff(old, tf.Source)
			}
		}
		v.Fields = append(v.Fields, tf)
	}
	name := shown.Name(tr.Lang, site.Languages)
	s.page(w, r, status, admin.TranslatePage(s.frame(r, "admin.translate.title", "Name", name, "Language", tr.Language(to)), v))
	return nil
}

// sourceWhenReviewed finds, in the entry's revisions, the source field whose hash the
// translation was last checked against: the text the translator saw.
func sourceWhenReviewed(revs []twinning.Revision, lang, field, hash string) (string, bool) {
	if hash == "" {
		return "", false
	}
	for _, rev := range revs {
		if v := rev.Entry.Texts[lang].Fields[field]; v != "" && twinning.Hash(v) == hash {
			return v, true
		}
	}
	return "", false
}

// handleTranslateSave saves the target language of the translator's screen, as a draft or
// published; nothing of the other languages or the facts changes.
func (s *Server) handleTranslateSave(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return twinning.Errorf(twinning.EINVALID, "bad form: %v", err)
		}
		stored, err := s.workingEntry(r, ct)
		if err != nil {
			return err
		}
		site := adminSite(r)
		from, to, err := translateLangs(r, site, stored)
		if err != nil {
			return err
		}
		e := stored.Clone()
		e.Version, _ = strconv.Atoi(r.PostForm.Get("version"))
		f := admin.Form{Values: fieldsOf(stored)}
		text := twinning.Text{Lang: to, Fields: map[string]string{}, TranslatedFrom: from, Reviewed: stored.Texts[to].Reviewed}
		if stored.Texts[to].TranslatedFrom == "" && !stored.Texts[to].Empty() {
			text.TranslatedFrom = "" // an original text stays one
		}
		for _, fd := range ct.Fields {
			k := twinning.TextKey(fd.Key, to)
			text.Fields[fd.Key] = r.PostForm.Get(k.String())
			f.Values[k] = text.Fields[fd.Key]
			if r.PostForm.Get(twinning.TextKey("checked_"+fd.Key, to).String()) != "" {
				f.Values[twinning.TextKey("checked_"+fd.Key, to)] = "on"
			}
		}
		if text.Empty() {
			delete(e.Texts, to)
		} else {
			e.Texts[to] = text
		}
		e.KeepReviews(&stored, func(lang, field string) bool {
			return lang == to && f.Checked(twinning.TextKey("checked_"+field, lang))
		})
		v := admin.TranslateView{Version: r.PostForm.Get("version")}
		publish := r.PostForm.Get("action") == "publish"
		if err := mayChange(r, &stored, e, publish); err != nil {
			return err
		}
		// what the quality checks find in a changed field is saved only once accepted
		if r.PostForm.Get("qa_accept") == "" {
			terms, err := s.glossaryTerms(r, from, to)
			if err != nil {
				return err
			}
			for _, fd := range ct.Fields {
				if text.Fields[fd.Key] != stored.Texts[to].Fields[fd.Key] &&
					len(qualityWarnings(fd, stored.Texts[from].Fields[fd.Key], text.Fields[fd.Key], terms)) > 0 {
					v.Warned = true
				}
			}
		}
		errs := e.Validate(site)
		if publish && len(errs) == 0 {
			// the required languages are the whole entry's: say which, as this screen shows one
			v.NotPublished = publishReasons(e.ValidatePublish(site))
		}
		if len(errs) > 0 || len(v.NotPublished) > 0 || v.Warned {
			f.Errors = errs
			return s.translatePage(w, r, ct, http.StatusUnprocessableEntity, e, from, to, f, v)
		}
		_, err = s.admin.SaveEntry(r.Context(), site.ID, e, publish, map[bool]string{true: "publish", false: "draft"}[publish], s.actor(r))
		switch code := twinning.ErrorCode(err); {
		case code == "":
			flash(r, map[bool]string{true: "admin.flash.published", false: "admin.flash.draft"}[publish])
			http.Redirect(w, r, s.urls(r).entry(ct, e.ID)+"/translate?to="+to+"&from="+from, http.StatusSeeOther)
			return nil
		case code == twinning.ECONFLICT:
			current, err := s.workingEntry(r, ct)
			if err != nil {
				return err
			}
			f.Theirs = formDiff(fieldsOf(e), fieldsOf(current))
			v.Version, v.Conflict = strconv.Itoa(current.Version), true
			if revs, err := s.admin.Revisions(r.Context(), ct, site.ID, current.ID); err == nil && len(revs) > 0 {
				v.ConflictBy = revs[0].AuthorEmail
			}
			return s.translatePage(w, r, ct, http.StatusConflict, e, from, to, f, v)
		case statusOf(err) >= 500:
			s.log.ErrorContext(r.Context(), "save failed", "type", ct.Name, "err", err)
			v.SaveFailed = true
			return s.translatePage(w, r, ct, statusOf(err), e, from, to, f, v)
		}
		return err
	})
}
