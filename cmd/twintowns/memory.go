package main

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// The memory of `serve`: one budget, the memory the process may use, from which the cache's
// bound and Go's soft memory limit follow.
const (
	// defaultBudget is the budget when neither MEMORY_LIMIT_MB nor a cgroup sets one.
	defaultBudget = 256 << 20
	// outsideHeap is what the process holds besides Go's heap: the binary's pages (embedded
	// assets and map data), stacks, the runtime. Go's limit is the budget less this.
	outsideHeap = 32 << 20
	// cacheShare is the part of the budget the cache of pages and sites' content may hold:
	// the rest is for the binary, rendering, the connections and the collector's headroom.
	// The cache is most of the live heap: at 55% of the budget (as before pages were stored
	// in the database), the live heap came so near Go's limit at national scale that the
	// collector took two-thirds of the CPU; a page not in memory is read from the database's
	// rendered pages at a fraction of a render's cost, so a third it is (issue 19).
	cacheShare = 1.0 / 3
)

// cgroupFiles are where cgroup v2 and v1 say how much memory the process may use.
var cgroupFiles = []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}

// memoryPlan is how serve uses its budget.
type memoryPlan struct {
	budget, cache, goLimit int64
	source                 string // where the budget came from
}

// planMemory derives the cache's bound and Go's memory limit from MEMORY_LIMIT_MB, else the
// cgroup's limit, else defaultBudget; PAGE_CACHE_MB and GOMEMLIMIT, when set, win.
func planMemory(getenv func(string) string, readFile func(string) ([]byte, error)) (memoryPlan, error) {
	p := memoryPlan{budget: defaultBudget, source: "default"}
	if v := getenv("MEMORY_LIMIT_MB"); v != "" {
		mb, err := strconv.Atoi(v)
		if err != nil || mb < 64 || mb > 1<<20 {
			return p, fmt.Errorf("MEMORY_LIMIT_MB=%q: want a whole number of mebibytes from 64", v)
		}
		p.budget, p.source = int64(mb)<<20, "MEMORY_LIMIT_MB"
	} else if n, file := cgroupLimit(readFile); n > 0 {
		p.budget, p.source = n, file
	}
	p.cache = max(int64(float64(p.budget)*cacheShare), 8<<20)
	if v := getenv("PAGE_CACHE_MB"); v != "" {
		mb, err := strconv.Atoi(v)
		if err != nil || mb < 1 || mb > 1<<20 {
			return p, fmt.Errorf("PAGE_CACHE_MB=%q: want a whole number of mebibytes from 1", v)
		}
		p.cache = int64(mb) << 20
	}
	p.goLimit = max(p.budget-outsideHeap, p.cache+16<<20)
	return p, nil
}

// cgroupLimit is the memory limit of the process's cgroup, 0 when there is none.
func cgroupLimit(readFile func(string) ([]byte, error)) (int64, string) {
	for _, f := range cgroupFiles {
		b, err := readFile(f)
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(b))
		n, err := strconv.ParseInt(v, 10, 64)
		if v == "max" || err != nil || n <= 0 || n >= 1<<50 { // v1 says "no limit" with a huge number
			return 0, ""
		}
		return n, f
	}
	return 0, ""
}

// limitFor is Go's soft memory limit for a live heap: the planned one, raised while the live
// heap comes near it. A limit under the live heap makes the collector run without pause and
// the server stop answering; better to pass the budget than to stall.
func limitFor(planned, live int64) int64 {
	return max(planned, live+live/8+16<<20)
}

// watchMemory keeps Go's memory limit above the live heap (see limitFor) until ctx ends.
func watchMemory(ctx context.Context, log *slog.Logger, planned int64, every time.Duration) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	current := planned
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			continue
		}
		live := int64(sample[0].Value.Uint64())
		if want := limitFor(planned, live); want != current {
			debug.SetMemoryLimit(want)
			if want > planned {
				log.Warn("live heap near the memory limit: limit raised", "live_mib", live>>20, "limit_mib", want>>20, "planned_mib", planned>>20)
			} else {
				log.Info("memory limit back to its plan", "limit_mib", want>>20)
			}
			current = want
		}
	}
}

// setMemory applies the plan: GOGC 50 and the planned limit unless the environment sets
// them, and returns whether serve should watch the limit.
func setMemory(getenv func(string) string, p memoryPlan) (watch bool) {
	// The heap may grow by half its live size between collections (under a mixed load with
	// edits this keeps RSS about 8 MiB lower at the same throughput).
	if getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	if getenv("GOMEMLIMIT") != "" {
		return false
	}
	debug.SetMemoryLimit(p.goLimit)
	return true
}
