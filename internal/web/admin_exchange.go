package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"twintowns/internal/exchange"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// Exchange with translation agencies: XLIFF 1.2 and PO files of a site's texts for one
// target language. Every export is a translation job (admin_export.go); a returned file is
// uploaded, kept in the database and previewed, then confirmed (admin_import.go).

// maxExchangeFile bounds an imported file.
const maxExchangeFile = 8 << 20

// ExchangeStore keeps translation jobs and uploaded files, and saves an import in one
// transaction through the engine.
type ExchangeStore interface {
	CreateJob(ctx context.Context, j twinning.Job, file func(id int64) (string, []byte, error), by twinning.Actor) (twinning.Job, error)
	Jobs(ctx context.Context, siteID int64) ([]twinning.Job, error)
	Job(ctx context.Context, siteID, id int64) (twinning.Job, error)
	JobFile(ctx context.Context, siteID, id int64) (string, []byte, error)
	NewerJobs(ctx context.Context, siteID, id int64) ([]int64, error)
	SetJobStatus(ctx context.Context, siteID, id int64, st twinning.JobStatus, by twinning.Actor) error
	SaveUpload(ctx context.Context, tokenHash []byte, u twinning.Upload) error
	Upload(ctx context.Context, tokenHash []byte, siteID, userID int64) (twinning.Upload, error)
	SetUploadPlan(ctx context.Context, tokenHash []byte, plan map[string]twinning.PlanUnit) error
	SaveImport(ctx context.Context, siteID int64, saves []twinning.EntrySave, tokenHash []byte, jobID int64, by twinning.Actor) error
	Glossary(ctx context.Context, siteID int64) ([]twinning.GlossaryEntry, error)
	SaveGlossary(ctx context.Context, siteID int64, g []twinning.GlossaryEntry, by twinning.Actor) error
	Similar(ctx context.Context, text string, pairs []twinning.MemoryPair, limit int) ([]twinning.Match, error)
}

// unitID is the stable id of a field of an entry in an exchange file: "city/12/description".
func unitID(x siteEntry, field string) string { return x.key() + "/" + field }

// parseUnitID resolves a unit id to its type, entry id and field.
func parseUnitID(id string) (*twinning.Type, int64, twinning.TextField, bool) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 {
		return nil, 0, twinning.TextField{}, false
	}
	ct, ok := twinning.Types.Type(parts[0])
	if !ok {
		return nil, 0, twinning.TextField{}, false
	}
	n, err := strconv.ParseInt(parts[1], 10, 64)
	f, ok := ct.Field(parts[2])
	return ct, n, f, err == nil && n > 0 && ok
}

// sourceWords counts the words of a source text as agencies quote them: Markdown marks
// (link addresses, list markers) are no words.
func sourceWords(fd twinning.TextField, text string) int {
	if fd.Kind == twinning.FieldMarkdown {
		text = exchange.PlainText(text)
	}
	return exchange.Words(text)
}

// glossaryTerms are the site's glossary from one language into another, for the checks.
func (s *Server) glossaryTerms(r *http.Request, from, to string) ([]exchange.Term, error) {
	g, err := s.admin.Glossary(r.Context(), adminSite(r).ID)
	if err != nil {
		return nil, err
	}
	var out []exchange.Term
	for _, p := range twinning.Pairs(g, from, to) {
		out = append(out, exchange.Term{Source: p[0], Target: p[1]})
	}
	return out, nil
}

// qualityWarnings are what the checks find in a translation of a field.
func qualityWarnings(fd twinning.TextField, source, target string, terms []exchange.Term) []admin.Warning {
	var out []admin.Warning
	for _, w := range exchange.Check(source, target, exchange.CheckOptions{Markdown: fd.Kind == twinning.FieldMarkdown, Max: fd.Max, Terms: terms}) {
		out = append(out, admin.Warning{Kind: string(w.Kind), Detail: w.Detail})
	}
	return out
}

// memoryPairs are the site's own translations from one language into another, its
// translation memory: for each field of each entry translated from that language and checked
// against its source, the source and the translation, once each. The field skip ("city/12/
// description") is left out: it is the one being translated.
func memoryPairs(entries []siteEntry, from, to, skip string) []twinning.MemoryPair {
	var out []twinning.MemoryPair
	seen := map[twinning.MemoryPair]bool{}
	for _, x := range entries {
		t := x.e.Texts[to]
		if t.TranslatedFrom != from {
			continue
		}
		for _, fd := range x.ct.Fields {
			p := twinning.MemoryPair{Source: x.e.Texts[from].Fields[fd.Key], Target: t.Fields[fd.Key]}
			if unitID(x, fd.Key) == skip || strings.TrimSpace(p.Source) == "" || strings.TrimSpace(p.Target) == "" ||
				x.e.FieldState(to, fd.Key) != twinning.TranslationComplete || seen[p] {
				continue
			}
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// exchangeOriginal names the site in exchange files.
func exchangeOriginal(site twinning.Site) string { return "twintowns:" + site.Slug }

// readExchange reads an exchange file, XLIFF or PO by its name or its first bytes, and checks
// it belongs to the site; it returns the message ID of why it is refused. The file's
// languages become the site's spelling of them ("pl-PL" is "pl").
func readExchange(site twinning.Site, name string, data []byte) (exchange.File, string) {
	if len(data) > maxExchangeFile {
		return exchange.File{}, "admin.import.error.too_large"
	}
	read := exchange.ReadXLIFF
	head := bytes.TrimSpace(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}))
	if strings.HasSuffix(strings.ToLower(name), ".po") || bytes.HasPrefix(head, []byte("msgid")) ||
		bytes.HasPrefix(head, []byte("msgctxt")) || bytes.HasPrefix(head, []byte("#")) {
		read = exchange.ReadPO
	}
	f, err := read(bytes.NewReader(data), maxExchangeFile)
	if err != nil {
		code := exchange.CodeOf(err)
		if code == "" {
			code = exchange.CodeMalformed
		}
		return f, "admin.import.error." + string(code)
	}
	if f.Original != "" && f.Original != exchangeOriginal(site) {
		return f, "admin.import.error.site"
	}
	to := ""
	for _, l := range site.Languages {
		if exchange.SameLanguage(l, f.TargetLang) {
			to = l
		}
	}
	if to == "" {
		return f, "admin.import.error.language"
	}
	f.TargetLang = to
	for _, l := range site.Languages {
		if exchange.SameLanguage(l, f.SourceLang) {
			f.SourceLang = l
		}
	}
	return f, ""
}

// typeName is the type's name, nil-safe for unknown unit ids.
func typeName(ct *twinning.Type) string {
	if ct == nil {
		return ""
	}
	return ct.Name
}
