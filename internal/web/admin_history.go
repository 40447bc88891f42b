package web

import (
	"net/http"
	"strconv"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handleHistory lists the revisions of a city.
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	c, revs, err := s.revisions(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	t, _ := c.Text(locale.From(r.Context()).Lang, adminSite(r))
	s.page(w, r, http.StatusOK, admin.HistoryPage(s.frame(r, "admin.history.title", "City", t.Name), cityURL(r, c.ID), revs))
}

func (s *Server) revisions(r *http.Request) (twinning.City, []twinning.Revision, error) {
	c, err := s.workingCity(r)
	if err != nil {
		return c, nil, err
	}
	revs, err := s.admin.Revisions(r.Context(), adminSite(r).ID, c.ID)
	return c, revs, err
}

// revision finds {rev} among the city's revisions, with the one before it.
func (s *Server) revision(r *http.Request) (twinning.City, twinning.Revision, *twinning.Revision, error) {
	c, revs, err := s.revisions(r)
	if err != nil {
		return c, twinning.Revision{}, nil, err
	}
	rev, before, err := findRevision(r, revs)
	return c, rev, before, err
}

// findRevision finds {rev} among revisions (newest first), with the one before it.
func findRevision(r *http.Request, revs []twinning.Revision) (twinning.Revision, *twinning.Revision, error) {
	id, err := idParam(r, "rev")
	if err != nil {
		return twinning.Revision{}, nil, err
	}
	for i, rev := range revs {
		if rev.ID == id {
			var before *twinning.Revision
			if i+1 < len(revs) {
				before = &revs[i+1]
			}
			return rev, before, nil
		}
	}
	return twinning.Revision{}, nil, twinning.Errorf(twinning.ENOTFOUND, "revision %d not found", id)
}

func cityURL(r *http.Request, id int64) string {
	return "/admin/sites/" + adminSite(r).Slug + "/cities/" + strconv.FormatInt(id, 10)
}

// changesOf lists the fields that differ between two states of a form, with word diffs.
func changesOf(tr *locale.Translator, old, now map[string]string) []admin.Change {
	var changes []admin.Change
	for _, k := range sortedKeys(formDiff(now, old)) {
		id, lang := fieldLabel(k)
		label := tr.T(id)
		if lang != "" {
			label += " (" + tr.Language(lang) + ")"
		}
		o, n := wordDiff(old[k], now[k])
		changes = append(changes, admin.Change{Field: label, Old: o, New: n})
	}
	return changes
}

// handleRevision shows what a revision changed compared with the one before.
func (s *Server) handleRevision(w http.ResponseWriter, r *http.Request) {
	c, rev, before, err := s.revision(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	old := map[string]string{}
	if before != nil {
		old = formValues(before.City)
	}
	tr := locale.From(r.Context())
	changes := changesOf(tr, old, formValues(rev.City))
	t, _ := c.Text(tr.Lang, adminSite(r))
	s.page(w, r, http.StatusOK, admin.RevisionPage(
		s.frame(r, "admin.revision.title", "City", t.Name, "Version", strconv.Itoa(rev.Version)), cityURL(r, c.ID), rev, changes))
}

// handleRevisionRestore makes an earlier revision the entry's draft again, as a new revision.
func (s *Server) handleRevisionRestore(w http.ResponseWriter, r *http.Request) {
	c, rev, _, err := s.revision(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	restored := rev.City
	restored.ID, restored.Version = c.ID, c.Version
	if _, err := s.admin.SaveCity(r.Context(), adminSite(r).ID, restored, false, "restore", s.actor(r)); err != nil {
		if twinning.ErrorCode(err) == twinning.EINVALID {
			// the old slug is taken by another entry now: keep the current one
			restored.Slug = c.Slug
			_, err = s.admin.SaveCity(r.Context(), adminSite(r).ID, restored, false, "restore", s.actor(r))
		}
		if err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	flash(r, "admin.flash.revision_restored")
	http.Redirect(w, r, cityURL(r, c.ID), http.StatusSeeOther)
}
