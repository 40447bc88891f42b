package web

import (
	"context"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"twintowns/internal/twinning"
)

// siteIndex resolves host names to sites in memory: a hash index of every site's host names
// and its header (no texts: a few hundred bytes a site, 0.6 MB for 2,500 sites), read with one
// query at the first request and then per site, when a site changes. Unknown hosts resolve to
// the default site without asking the database, so random Host headers cost nothing, and the
// index answers while the database is down.
type siteIndex struct {
	mu     sync.Mutex
	loaded bool
	gen    uint64           // grows when every site must be read again
	stale  map[int64]uint64 // sites changed since they were read, with their change count
	byID   map[int64]twinning.Site
	byHost map[string]int64
	first  int64 // the default site, else the lowest id
}

// invalidate marks a site (0: every site) to be read again before the next lookup.
func (x *siteIndex) invalidate(site int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if site == 0 {
		x.loaded = false
		x.gen++
		return
	}
	if x.stale == nil {
		x.stale = map[int64]uint64{}
	}
	x.stale[site]++
}

// lookup resolves host (lower case, no port) when the index is current.
func (x *siteIndex) lookup(host string) (twinning.Site, bool, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.loaded || len(x.stale) > 0 {
		return twinning.Site{}, false, nil
	}
	site, err := x.resolve(host)
	return site, true, err
}

func (x *siteIndex) resolve(host string) (twinning.Site, error) {
	if id, ok := x.byHost[host]; ok {
		return x.byID[id], nil
	}
	if site, ok := x.byID[x.first]; ok {
		return site, nil
	}
	return twinning.Site{}, twinning.Errorf(twinning.ENOTFOUND, "no site configured")
}

// refresh reads what the index misses: every site when it is not loaded, else the sites that
// changed. A change that arrives while it reads stays to be read.
func (x *siteIndex) refresh(ctx context.Context, store Store) error {
	x.mu.Lock()
	loaded, gen, stale := x.loaded, x.gen, copyCounts(x.stale)
	x.mu.Unlock()
	if !loaded {
		sites, err := store.SiteHeaders(ctx)
		if err != nil {
			return err
		}
		byID := make(map[int64]twinning.Site, len(sites))
		for _, s := range sites {
			byID[s.ID] = s
		}
		x.mu.Lock()
		defer x.mu.Unlock()
		if x.gen == gen {
			x.byID, x.loaded = byID, true
			for id, n := range stale {
				if x.stale[id] == n {
					delete(x.stale, id)
				}
			}
			x.rebuild()
		}
		return nil
	}
	read := map[int64]*twinning.Site{}
	for id := range stale {
		s, err := store.SiteHeader(ctx, id)
		switch {
		case err == nil:
			read[id] = &s
		case twinning.ErrorCode(err) == twinning.ENOTFOUND:
			read[id] = nil // deleted
		default:
			return err
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.gen != gen || !x.loaded {
		return nil
	}
	for id, s := range read {
		if s == nil {
			delete(x.byID, id)
		} else {
			x.byID[id] = *s
		}
		if x.stale[id] == stale[id] {
			delete(x.stale, id)
		}
	}
	x.rebuild()
	return nil
}

func copyCounts(m map[int64]uint64) map[int64]uint64 {
	out := make(map[int64]uint64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// rebuild makes the host index from the headers: where sites share a host name, the default
// site has it, else the oldest.
func (x *siteIndex) rebuild() {
	ids := make([]int64, 0, len(x.byID))
	for id := range x.byID {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		if da, db := x.byID[a].IsDefault, x.byID[b].IsDefault; da != db {
			if da {
				return -1
			}
			return 1
		}
		return int(a - b)
	})
	x.byHost = make(map[string]int64, len(ids))
	x.first = 0
	if len(ids) > 0 {
		x.first = ids[0]
	}
	for _, id := range ids {
		for _, h := range x.byID[id].Hosts {
			if _, taken := x.byHost[h]; !taken {
				x.byHost[h] = id
			}
		}
	}
}

// hostName is the host of a Host header as sites list theirs: lower case, without port or
// final dot.
func hostName(hostport string) string {
	host := strings.ToLower(hostport)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(host, ".")
}

// siteByHost returns the header of the site of a host name (unknown hosts: the default site).
// Its texts are in its content (Server.content).
func (s *Server) siteByHost(ctx context.Context, hostport string) (twinning.Site, error) {
	host := hostName(hostport)
	var err error
	for range 3 { // a change that arrives while the sites are read (the listener's start) reads again
		if site, ok, err := s.index.lookup(host); ok {
			return site, err
		}
		_, err, _ = s.fills.Do("sites", func() (any, error) {
			return nil, s.index.refresh(context.WithoutCancel(ctx), s.store)
		})
		if err != nil {
			break
		}
	}
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	if !s.index.loaded {
		if err == nil {
			err = twinning.Errorf(twinning.EUNAVAILABLE, "sites changed while being read")
		}
		return twinning.Site{}, err
	}
	// Read now, or read before and changed since: while the database is down, the header
	// read before still answers.
	return s.index.resolve(host)
}

// content returns everything a site shows, its texts included, from the cache when it holds
// it. Concurrent misses share one read, which no requester's going away cancels.
func (s *Server) content(ctx context.Context, site twinning.Site) (twinning.Content, error) {
	if c, ok := s.cache.content(site.ID); ok {
		return *c, nil
	}
	st := s.cache.stamp(site.ID)
	flight := "content " + strconv.FormatUint(st.gen, 10) + " " + strconv.FormatUint(st.site, 10) + " " + strconv.FormatInt(site.ID, 10)
	v, err, _ := s.fills.Do(flight, func() (any, error) {
		s.cache.contentReads.Add(1)
		c, err := s.store.Content(context.WithoutCancel(ctx), site)
		if err == nil {
			s.cache.putContent(st, &c, contentSize(&c))
		}
		return c, err
	})
	if err != nil {
		return twinning.Content{}, err
	}
	return v.(twinning.Content), nil
}

// Sizes of what a site's content holds, for contentSize: the structs, and what a map entry
// or a string costs besides its bytes.
const (
	mapEntryOverhead = 64
	stringOverhead   = 16
)

// contentSize estimates the memory a site's content holds (TestContentSize checks it
// against the heap).
func contentSize(c *twinning.Content) int64 {
	str := func(ss ...string) int64 {
		n := int64(0)
		for _, s := range ss {
			if s != "" { // its own allocation, rounded up to a size class
				n += int64(len(s))*9/8 + stringOverhead
			}
		}
		return n
	}
	strMap := func(m map[string]string) int64 {
		n := int64(0)
		for k, v := range m {
			n += mapEntryOverhead + str(k, v)
		}
		return n
	}
	n := int64(unsafe.Sizeof(*c)) + siteSize(c.Site)
	for _, city := range c.Cities {
		n += int64(unsafe.Sizeof(city)) + 64 // its pointers' targets
		for k, t := range city.Texts {
			n += mapEntryOverhead + int64(unsafe.Sizeof(t)) + str(k, t.Lang, t.Name, t.FullName, t.Summary, t.Description,
				t.Aims, t.Association, t.TranslatedFrom) + strMap(t.Reviewed)
		}
		for _, l := range city.Links {
			n += int64(unsafe.Sizeof(l)) + str(string(l.Kind), l.Lang, l.URL, l.Label)
		}
		for _, a := range city.Attachments {
			n += int64(unsafe.Sizeof(a)) + str(a.Slug, a.Kind, a.Format, a.MediaType) + strMap(a.Titles) +
				strMap(a.TranslatedFrom) + strMap(a.Reviewed)
		}
	}
	for _, es := range c.Entries {
		for _, e := range es {
			n += int64(unsafe.Sizeof(e)) + 64
			for k, v := range e.Facts {
				n += mapEntryOverhead + int64(unsafe.Sizeof(k)) + str(k.Field, v)
			}
			for k, t := range e.Texts {
				n += mapEntryOverhead + int64(unsafe.Sizeof(t)) + str(k, t.Lang, t.TranslatedFrom) + strMap(t.Fields) + strMap(t.Reviewed)
			}
		}
	}
	return n
}

// siteSize estimates the memory of a site with its texts.
func siteSize(site twinning.Site) int64 {
	n := int64(unsafe.Sizeof(site))
	for _, h := range append(append(append(site.Hosts, site.Languages...), site.RequiredLangs...), site.Slug, site.Country) {
		n += stringOverhead + int64(len(h))
	}
	for k, t := range site.Texts {
		n += mapEntryOverhead + int64(unsafe.Sizeof(t)) + int64(len(k)+len(t.Name)+len(t.Intro)+len(t.PartnersIntro)+
			len(t.HistoryTitle)+len(t.History)+len(t.EventsTitle)+len(t.Events)+len(t.TranslatedFrom))*9/8 + 9*stringOverhead
		for rk, rv := range t.Reviewed {
			n += mapEntryOverhead + int64(len(rk)+len(rv)) + 2*stringOverhead
		}
	}
	return n
}
