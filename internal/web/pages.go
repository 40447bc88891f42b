package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"time"

	"twintowns/internal/twinning"
)

// Rendered pages are stored in the database (PageStore) for every instance of the same build
// (Options.Build): a country's pages do not fit in one server's memory, and a page not in
// memory is read back from there in a lookup where rendering it takes a read of its site's
// content and milliseconds of work. A page is stored with the version of its site's content
// read before the content it was rendered from, and read back only at the version this
// instance knows for the site (Site.ContentVersion, read again when told of a change), so an edit by
// any instance retires its site's stored pages (migrations/200_rendered_pages.sql).

// storeQueue is how many rendered pages wait to be stored; more are not stored (rendered
// again when asked for after being evicted), and storeBatch how many are stored at once.
const storeQueue, storeBatch = 1024, 64

// storedPage returns the stored page of key at the site's version, kept in the cache unless
// its site changed since st; nil when there is none (or pages are not stored).
func (s *Server) storedPage(ctx context.Context, st stamp, site twinning.Site, key pageKey) *cachedPage {
	if s.opts.Build == "" {
		return nil
	}
	rp, err := s.store.RenderedPage(ctx, key.site, site.ContentVersion, s.opts.Build, key.tls, key.port, key.path)
	if err != nil {
		if twinning.ErrorCode(err) != twinning.ENOTFOUND {
			s.log.WarnContext(ctx, "stored page not read", "path", key.path, "err", err)
		}
		return nil
	}
	s.cache.stored.Add(1)
	p := &cachedPage{key: key, tag: rp.Tag, compressed: true, contentType: []string{rp.ContentType}}
	for e := range numEncodings {
		p.etags[e] = []string{p.etag(e)}
	}
	p.variants[encGzip].Store(p.newVariant(encGzip, rp.Gzip))
	if rp.ContentLang != "" {
		p.contentLang = []string{rp.ContentLang}
	}
	if !rp.Modified.IsZero() {
		p.modTime = rp.Modified.UTC().Truncate(time.Second)
		p.lastModified = []string{p.modTime.Format(http.TimeFormat)}
	}
	s.cache.putPage(st, p)
	return p
}

// storePage queues a page just rendered from content at version for storing (savePages).
// Pages that did not compress (images, which have their own store) are not stored.
func (s *Server) storePage(p *cachedPage, version int64) {
	gz := p.variants[encGzip].Load()
	if s.opts.Build == "" || gz == nil {
		return
	}
	var body bytes.Buffer
	gz.write(&body)
	rp := twinning.RenderedPage{SiteID: p.key.site, Build: s.opts.Build, TLS: p.key.tls, Port: p.key.port, Path: p.key.path,
		Version: version, Tag: p.tag, Gzip: body.Bytes(), ContentType: p.contentType[0], Modified: p.modTime}
	if p.contentLang != nil {
		rp.ContentLang = p.contentLang[0]
	}
	select {
	case s.toStore <- rp:
	default: // the database is behind: this page renders again when asked for
	}
}

// savePages stores the queued pages, several at a time, until ctx ends.
func (s *Server) savePages(ctx context.Context) {
	batch := make([]twinning.RenderedPage, 0, storeBatch)
	for {
		select {
		case <-ctx.Done():
			return
		case rp := <-s.toStore:
			batch = append(batch[:0], rp)
		}
	more:
		for len(batch) < storeBatch {
			select {
			case rp := <-s.toStore:
				batch = append(batch, rp)
			default:
				break more
			}
		}
		if err := s.store.SaveRenderedPages(ctx, batch); err != nil && !errors.Is(err, context.Canceled) {
			s.log.WarnContext(ctx, "rendered pages not stored", "pages", len(batch), "err", err)
		} else if err == nil {
			s.cache.saved.Add(uint64(len(batch)))
		}
	}
}
