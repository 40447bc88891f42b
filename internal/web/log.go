package web

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
)

// levelFor logs server errors as errors and everything else as information.
func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// RequestLog says which requests the access log keeps: a line per request costs more than
// serving a cached page, and a busy instance writes gigabytes a day.
type RequestLog struct {
	// Mode is "all" (also ""), "errors" (server errors, 5xx) or "none".
	Mode string
	// Sample is the fraction of the requests without error logged under "all" (0 means 1).
	Sample float64
}

// ParseRequestLog reads LOG_REQUESTS and LOG_REQUESTS_SAMPLE.
func ParseRequestLog(mode, sample string) (RequestLog, error) {
	l := RequestLog{Mode: mode, Sample: 1}
	switch mode {
	case "", "all", "errors", "none":
	default:
		return l, fmt.Errorf("LOG_REQUESTS=%q: want all, errors or none", mode)
	}
	if sample != "" {
		f, err := strconv.ParseFloat(sample, 64)
		if err != nil || !(f > 0 && f <= 1) {
			return l, fmt.Errorf("LOG_REQUESTS_SAMPLE=%q: want a fraction above 0, at most 1", sample)
		}
		l.Sample = f
	}
	return l, nil
}

// logs tells whether a request that answered status is logged.
func (l RequestLog) logs(status int) bool {
	switch {
	case l.Mode == "none":
		return false
	case status >= 500:
		return true
	case l.Mode == "errors":
		return false
	}
	return l.Sample <= 0 || l.Sample >= 1 || rand.Float64() < l.Sample
}
