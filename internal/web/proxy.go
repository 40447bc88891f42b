package web

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// proxyWatch notices a server behind a proxy that TRUST_PROXY does not trust: then every
// request seems to come from the proxy's address, so that the sign-in throttle and the
// feedback limit count everyone as one, and 20 failed sign-ins by anyone refuse everybody.
type proxyWatch struct {
	suspected atomic.Bool // every request seems to come through one proxy
	done      atomic.Bool // decided: suspected, or requests came from elsewhere
	peer      atomic.Pointer[string]
	n         atomic.Int64
}

// proxyEvidence is how many forwarded requests from one address, and none from another,
// make the server suspect a proxy it does not trust.
const proxyEvidence = 20

// observe looks at a request when TRUST_PROXY is off; it reports true once, when the
// evidence is complete. It takes no lock: every request passes here.
func (p *proxyWatch) observe(r *http.Request) bool {
	if p.done.Load() {
		return false
	}
	h := r.Header
	forwarded := h.Get("X-Forwarded-For") != "" || h.Get("Forwarded") != "" || h.Get("X-Forwarded-Proto") != "" || h.Get("X-Real-Ip") != ""
	first := p.peer.Load()
	if first == nil && !forwarded {
		return false
	}
	peer, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		peer = r.RemoteAddr
	}
	if first == nil {
		p.peer.CompareAndSwap(nil, &peer)
		first = p.peer.Load()
	}
	switch {
	case peer != *first:
		p.done.Store(true) // requests come from elsewhere too: no single proxy in front
	case forwarded && p.n.Add(1) >= proxyEvidence && p.done.CompareAndSwap(false, true):
		p.suspected.Store(true)
		return true
	}
	return false
}

// watchProxy warns in the log when every request seems to come through one proxy while
// TRUST_PROXY is off; the staff home tells administrators too.
func (s *Server) watchProxy(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.opts.TrustProxy && s.proxy.observe(r) {
			s.log.WarnContext(r.Context(), "every request seems to come through a proxy at one address, and TRUST_PROXY is off: "+
				"sign-in throttling and the feedback limit count everyone as that address; set TRUST_PROXY=true if the proxy is yours",
				"address", *s.proxy.peer.Load())
		}
		next.ServeHTTP(w, r)
	})
}

// checkProxyAtStart warns when TRUST_PROXY is off and every sign-in of the last 30 days (20
// or more) came from one address: most likely a proxy's.
func (s *Server) checkProxyAtStart(ctx context.Context) {
	if s.opts.TrustProxy {
		return
	}
	n, addrs, err := s.admin.SignInAddresses(ctx, time.Now().AddDate(0, 0, -30))
	if err != nil || n < proxyEvidence || len(addrs) != 1 {
		return
	}
	s.proxy.suspected.Store(true)
	s.log.WarnContext(ctx, "every sign-in of the last 30 days came from one address, and TRUST_PROXY is off: if a proxy is in front, "+
		"sign-in throttling and the feedback limit count everyone as that address; set TRUST_PROXY=true if the proxy is yours",
		"address", addrs[0], "sign_ins", n)
}
