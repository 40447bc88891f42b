package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus figures, served by MetricsHandler on their own address.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		// Routes are chi's patterns, never raw paths: the number of series stays fixed
		// whatever clients ask for.
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "twintowns_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern and status.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "status"}),
	}
	m.reg.MustRegister(m.requests, cacheCollector{s.cache},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if s.opts.ContentChanges != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "twintowns_content_listener_up",
			Help: "1 when the LISTEN connection for content changes is up.",
		}, func() float64 {
			if s.opts.ContentChanges.ListenerConnected() {
				return 1
			}
			return 0
		}))
	}
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "twintowns_share_images_drawn_total",
		Help: "Share images drawn because none was stored for what they show.",
	}, func() float64 { return float64(s.sharesDrawn.Load()) }))
	m.reg.MustRegister(s.opts.Collectors...)
	return m
}

// observe records a finished request.
func (m *metrics) observe(r *http.Request, status int, d time.Duration) {
	if status == 0 {
		status = http.StatusOK // nothing written
	}
	route := "unmatched"
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if p := rc.RoutePattern(); p != "" {
			route = p
		}
	}
	m.requests.WithLabelValues(route, statusLabel(status)).Observe(d.Seconds())
}

var statusLabels = func() map[int]string {
	m := map[int]string{}
	for code := 100; code < 600; code++ {
		m[code] = strconv.Itoa(code)
	}
	return m
}()

// statusLabel is the label of a status code without an allocation per request.
func statusLabel(code int) string {
	if l, ok := statusLabels[code]; ok {
		return l
	}
	return "other"
}

// MetricsHandler serves the metrics in Prometheus' text format. It belongs on an address of
// its own, not on the public one.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
}

// cacheCollector reads the page cache's figures when Prometheus scrapes.
type cacheCollector struct{ c *cache }

var (
	cacheHits      = prometheus.NewDesc("twintowns_page_cache_hits_total", "Pages served from the page cache.", nil, nil)
	cacheMisses    = prometheus.NewDesc("twintowns_page_cache_misses_total", "Requests for pages not in the page cache.", nil, nil)
	pagesStored    = prometheus.NewDesc("twintowns_page_store_reads_total", "Pages read from the database's rendered pages instead of rendered.", nil, nil)
	pagesSaved     = prometheus.NewDesc("twintowns_page_store_writes_total", "Rendered pages stored in the database for every instance.", nil, nil)
	cacheRenders   = prometheus.NewDesc("twintowns_page_cache_renders_total", "Pages rendered (concurrent misses of a page render it once).", nil, nil)
	cacheEvictions = prometheus.NewDesc("twintowns_page_cache_evictions_total", "Pages dropped to keep the cache in its byte bound.", nil, nil)
	cacheBytes     = prometheus.NewDesc("twintowns_page_cache_bytes", "Bytes held by the cache: pages in their variants and the content of sites.", nil, nil)
	cacheEntries   = prometheus.NewDesc("twintowns_page_cache_entries", "Pages held by the cache.", nil, nil)
	cacheContents  = prometheus.NewDesc("twintowns_site_cache_entries", "Sites whose content the cache holds.", nil, nil)
	contentReads   = prometheus.NewDesc("twintowns_site_content_reads_total", "Reads of a site's content from the database.", nil, nil)
)

func (cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{cacheHits, cacheMisses, cacheRenders, cacheEvictions, cacheBytes, cacheEntries, cacheContents, contentReads, pagesStored, pagesSaved} {
		ch <- d
	}
}

func (cc cacheCollector) Collect(ch chan<- prometheus.Metric) {
	st := cc.c.stats()
	ch <- prometheus.MustNewConstMetric(cacheHits, prometheus.CounterValue, float64(st.Hits))
	ch <- prometheus.MustNewConstMetric(cacheMisses, prometheus.CounterValue, float64(st.Misses))
	ch <- prometheus.MustNewConstMetric(cacheRenders, prometheus.CounterValue, float64(st.Renders))
	ch <- prometheus.MustNewConstMetric(cacheEvictions, prometheus.CounterValue, float64(st.Evictions))
	ch <- prometheus.MustNewConstMetric(cacheBytes, prometheus.GaugeValue, float64(st.Bytes))
	ch <- prometheus.MustNewConstMetric(cacheEntries, prometheus.GaugeValue, float64(st.Entries))
	ch <- prometheus.MustNewConstMetric(cacheContents, prometheus.GaugeValue, float64(st.Contents))
	ch <- prometheus.MustNewConstMetric(contentReads, prometheus.CounterValue, float64(st.ContentReads))
	ch <- prometheus.MustNewConstMetric(pagesStored, prometheus.CounterValue, float64(st.Stored))
	ch <- prometheus.MustNewConstMetric(pagesSaved, prometheus.CounterValue, float64(st.Saved))
}
