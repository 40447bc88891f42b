package main

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// poolCollector reports the database pool's figures (pgxpool.Stat) when Prometheus scrapes.
type poolCollector struct{ pool *pgxpool.Pool }

func pooldesc(name, help string) *prometheus.Desc {
	return prometheus.NewDesc("twintowns_db_pool_"+name, help, nil, nil)
}

var (
	poolAcquired    = pooldesc("acquired_conns", "Connections in use.")
	poolIdle        = pooldesc("idle_conns", "Idle connections.")
	poolTotal       = pooldesc("total_conns", "Open connections.")
	poolMax         = pooldesc("max_conns", "Largest number of connections the pool opens.")
	poolAcquires    = pooldesc("acquires_total", "Connections taken from the pool.")
	poolEmptyWaits  = pooldesc("empty_acquires_total", "Acquisitions that waited for a connection.")
	poolWaitSeconds = pooldesc("acquire_wait_seconds_total", "Time spent waiting for a connection.")
	poolCanceled    = pooldesc("canceled_acquires_total", "Acquisitions canceled while waiting.")
)

func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquired, poolIdle, poolTotal, poolMax, poolAcquires, poolEmptyWaits, poolWaitSeconds, poolCanceled} {
		ch <- d
	}
}

func (pc poolCollector) Collect(ch chan<- prometheus.Metric) {
	st := pc.pool.Stat()
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(poolAcquired, float64(st.AcquiredConns()))
	gauge(poolIdle, float64(st.IdleConns()))
	gauge(poolTotal, float64(st.TotalConns()))
	gauge(poolMax, float64(st.MaxConns()))
	counter(poolAcquires, float64(st.AcquireCount()))
	counter(poolEmptyWaits, float64(st.EmptyAcquireCount()))
	counter(poolWaitSeconds, st.AcquireDuration().Seconds())
	counter(poolCanceled, float64(st.CanceledAcquireCount()))
}
