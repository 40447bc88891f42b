package web

import (
	"net/http"
	"strconv"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handleEntryHistory lists the revisions of an entry.
func (s *Server) handleEntryHistory(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		e, revs, err := s.revisions(r, ct)
		if err != nil {
			return err
		}
		name := e.Name(locale.From(r.Context()).Lang, adminSite(r).Languages)
		s.page(w, r, http.StatusOK, admin.HistoryPage(s.frame(r, "admin.history.title", "Name", name), s.urls(r).entry(ct, e.ID), revs))
		return nil
	})
}

func (s *Server) revisions(r *http.Request, ct *twinning.Type) (twinning.Entry, []twinning.Revision, error) {
	e, err := s.workingEntry(r, ct)
	if err != nil {
		return e, nil, err
	}
	revs, err := s.admin.Revisions(r.Context(), ct, adminSite(r).ID, e.ID)
	return e, revs, err
}

// revision finds {rev} among the entry's revisions (newest first), with the one before it.
func (s *Server) revision(r *http.Request, ct *twinning.Type) (twinning.Entry, twinning.Revision, *twinning.Revision, error) {
	e, revs, err := s.revisions(r, ct)
	if err != nil {
		return e, twinning.Revision{}, nil, err
	}
	id, err := idParam(r, "rev")
	if err != nil {
		return e, twinning.Revision{}, nil, err
	}
	for i, rev := range revs {
		if rev.ID == id {
			var before *twinning.Revision
			if i+1 < len(revs) {
				before = &revs[i+1]
			}
			return e, rev, before, nil
		}
	}
	return e, twinning.Revision{}, nil, twinning.Errorf(twinning.ENOTFOUND, "revision %d not found", id)
}

// handleEntryRevision shows what a revision changed compared with the one before.
func (s *Server) handleEntryRevision(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		e, rev, before, err := s.revision(r, ct)
		if err != nil {
			return err
		}
		old := twinning.Entry{Type: ct}
		if before != nil {
			old = before.Entry
		}
		tr := locale.From(r.Context())
		refs, err := s.refNames(r, ct, ct.Facts)
		if err != nil {
			return err
		}
		changes := changesOf(tr, ct, adminSite(r), old, rev.Entry, refs)
		name := e.Name(tr.Lang, adminSite(r).Languages)
		s.page(w, r, http.StatusOK, admin.RevisionPage(
			s.frame(r, "admin.revision.title", "Name", name, "Version", strconv.Itoa(rev.Version)), s.urls(r).entry(ct, e.ID), rev, changes))
		return nil
	})
}

// handleEntryRevisionRestore makes an earlier revision the entry's draft again, as a new
// revision.
func (s *Server) handleEntryRevisionRestore(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if err := mayEditFacts(r); err != nil {
			return err
		}
		e, rev, _, err := s.revision(r, ct)
		if err != nil {
			return err
		}
		restored := rev.Entry.Clone()
		restored.ID, restored.Version = e.ID, e.Version
		site := adminSite(r)
		_, err = s.admin.SaveEntry(r.Context(), site.ID, restored, false, "restore", s.actor(r))
		if twinning.ErrorCode(err) == twinning.EINVALID {
			// a fact of then is refused now (the old slug is another entry's): keep today's
			for k := range validationFields(err) {
				if k.Lang == "" {
					restored.Facts[k] = e.Facts[k]
				}
			}
			_, err = s.admin.SaveEntry(r.Context(), site.ID, restored, false, "restore", s.actor(r))
		}
		if err != nil {
			return err
		}
		flash(r, "admin.flash.revision_restored")
		http.Redirect(w, r, s.urls(r).entry(ct, e.ID), http.StatusSeeOther)
		return nil
	})
}
