package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// Network checks: the self-audit visits the stories' outside links only
// when the operator turns them on (the site setting in the desk, or
// selfcheck --external-links), one request at a time with a pause
// between requests, each with a time limit.
const (
	// LinkUserAgent names Newsdesk to the sites it visits.
	LinkUserAgent = "Newsdesk-selfcheck/1 (+https://newsdesk.invalid/docs/checks)"
	// DefaultLinkDelay and DefaultLinkTimeout are the pause between two
	// requests and the time limit of one.
	DefaultLinkDelay   = time.Second
	DefaultLinkTimeout = 10 * time.Second
	// linkCacheSize bounds the addresses one run remembers (a link found
	// in many stories is visited once).
	linkCacheSize = 20_000
)

// LinkOptions say whether and how the self-audit visits outside links.
type LinkOptions struct {
	On      bool
	Delay   time.Duration // between two requests (0: none)
	Timeout time.Duration // of one request, HEAD or GET (0: DefaultLinkTimeout)
}

// linkSetting* are the site settings of the network checks (package site
// checks their values when they are saved).
const (
	LinkSettingOn      = "check.external_links" // "on" / "off"
	LinkSettingDelay   = "check.link_delay_ms"  // milliseconds between requests
	LinkSettingTimeout = "check.link_timeout_s" // seconds per request
)

// LinkOptionsFrom reads the network-check settings (unset or unreadable
// values: off, DefaultLinkDelay, DefaultLinkTimeout).
func LinkOptionsFrom(settings map[string]string) LinkOptions {
	o := LinkOptions{On: settings[LinkSettingOn] == "on", Delay: DefaultLinkDelay, Timeout: DefaultLinkTimeout}
	var n int
	if _, err := fmt.Sscan(settings[LinkSettingDelay], &n); err == nil && n >= 0 {
		o.Delay = time.Duration(n) * time.Millisecond
	}
	if _, err := fmt.Sscan(settings[LinkSettingTimeout], &n); err == nil && n > 0 {
		o.Timeout = time.Duration(n) * time.Second
	}
	return o
}

// linkProber visits outside links one at a time, remembering each
// address's answer for the rest of the run.
type linkProber struct {
	o      LinkOptions
	client *http.Client
	mu     sync.Mutex
	last   time.Time
	seen   map[string]string // address → why it is broken ("" : fine)
}

func newLinkProber(o LinkOptions) *linkProber {
	if o.Timeout <= 0 {
		o.Timeout = DefaultLinkTimeout
	}
	return &linkProber{o: o, seen: map[string]string{}, client: &http.Client{
		Timeout: o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("more than 5 redirects")
			}
			return nil
		},
	}}
}

// broken says why the outside link href does not work ("" when it does):
// HEAD first, GET when HEAD is refused (many servers answer HEAD with 403,
// 404 or 405), a status of 400 or more, a time-out or an address that does
// not resolve.
func (p *linkProber) broken(ctx context.Context, href string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if why, ok := p.seen[href]; ok {
		return why, nil
	}
	why, err := p.head(ctx, href)
	if err != nil {
		return "", err
	}
	if len(p.seen) < linkCacheSize {
		p.seen[href] = why
	}
	return why, nil
}

func (p *linkProber) head(ctx context.Context, href string) (string, error) {
	why, final, err := p.request(ctx, http.MethodHead, href)
	if err != nil || why == "" || final {
		return why, err
	}
	why, _, err = p.request(ctx, http.MethodGet, href)
	return why, err
}

// request makes one request after the pause since the last one; it
// returns why the link is broken and whether that is final (a time-out or
// a name that does not resolve: a GET would fare no better), or an error
// when ctx ended (the audit stops, the link is not judged).
func (p *linkProber) request(ctx context.Context, method, href string) (why string, final bool, err error) {
	if wait := p.o.Delay - time.Since(p.last); !p.last.IsZero() && wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", false, ctx.Err()
		case <-t.C:
		}
	}
	defer func() { p.last = time.Now() }()
	req, err := http.NewRequestWithContext(ctx, method, href, nil)
	if err != nil {
		return "invalid address", true, nil
	}
	req.Header.Set("User-Agent", LinkUserAgent)
	req.Header.Set("Accept", "text/html,*/*;q=0.8")
	res, err := p.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", false, ctx.Err()
		}
		return linkError(err, p.o.Timeout)
	}
	defer res.Body.Close()
	if method == http.MethodGet {
		io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // enough to let the connection be reused
	}
	if res.StatusCode >= 400 {
		return fmt.Sprintf("HTTP %d", res.StatusCode), false, nil
	}
	return "", false, nil
}

// linkError names a failed request's cause for the rectification list.
func linkError(err error, timeout time.Duration) (string, bool, error) {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return "DNS: " + dns.Err, true, nil
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("timeout (%s)", timeout), true, nil
	}
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		msg = ue.Err.Error()
	}
	return strings.TrimSpace(msg), false, nil
}

// externalLinks are a document's outside http(s) links, each once.
func externalLinks(d Doc) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range d.Links {
		href := strings.TrimSpace(l.Href)
		u, err := url.Parse(href)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || seen[href] {
			continue
		}
		seen[href] = true
		out = append(out, href)
	}
	return out
}
