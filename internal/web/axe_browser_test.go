package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core from tools/axe (scripts/test.sh runs npm ci there);
// the test skips, saying so, when it is not installed.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "tools", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is not installed (scripts/test.sh runs npm ci in tools/axe): %v", err)
		}
		t.Skipf("axe-core is not installed: run npm ci in tools/axe (scripts/test.sh does): %v", err)
	}
	return string(b)
}

// axeViolation is one rule axe found broken, with the elements breaking it.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeRun checks the page in the tab against WCAG 2.x A and AA (2.0, 2.1,
// 2.2 rules) and returns what fails.
func axeRun(ctx context.Context, source string) ([]axeViolation, error) {
	var loaded bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`typeof axe !== "undefined"`, &loaded)); err != nil {
		return nil, err
	}
	if !loaded {
		if err := chromedp.Run(ctx, chromedp.Evaluate(source+";true", nil)); err != nil {
			return nil, fmt.Errorf("inject axe: %w", err)
		}
	}
	var out string
	err := chromedp.Run(ctx, chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`,
		&out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	var vs []axeViolation
	return vs, json.Unmarshal([]byte(out), &vs)
}

// firstHref is the address of the first link matching sel on the page in
// the tab, or "" when there is none.
func firstHref(ctx context.Context, sel string) (string, error) {
	var href string
	err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`(document.querySelector(%q) || {}).getAttribute?.("href") || ""`, sel), &href))
	return href, err
}

// TestEveryPagePassesAxe runs axe-core (WCAG 2.x A/AA) in Chromium over
// every public and desk page, in Chinese and English, in the standard view
// and the 长辈版 reader mode, at 360 and 1280 px, and fails on any
// violation, naming the page, the rule and the elements.
func TestEveryPagePassesAxe(t *testing.T) {
	source := axeSource(t)
	seed := itoa(seedID(t))
	public := []string{"/", "/focus", "/recommended", "/columns/news", "/articles/" + seed, "/sitemap", "/feeds", "/help",
		"/pages/guide", "/submit", "/search", "/search?q=" + url.QueryEscape("学院"), "/search?q=" + url.QueryEscape("没有这样的词语啊"), "/no-such-page"}
	desk := []string{"/desk/", "/desk/articles/new", "/desk/search", "/desk/search?q=" + url.QueryEscape("学院"), "/desk/library",
		"/desk/site", "/desk/campus", "/desk/users", "/desk/audit", "/desk/tokens", "/desk/password", "/desk/sessions", "/desk/2fa", "/desk/sign-ins"}
	_, deskSrv := deskServer(t)
	for _, width := range []int64{360, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx := browserFor(t, width, 800, true, 30*time.Minute)
			if err := chromedp.Run(ctx, page.SetBypassCSP(true)); err != nil { // axe is injected as a script
				t.Fatal(err)
			}
			// The archive pages of a column and a photo's page in the library,
			// found as a reader would, from the links.
			if err := chromedp.Run(ctx, chromedp.Navigate(site.srv.URL+"/columns/news"), chromedp.WaitVisible("footer", chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			pages := append([]string{}, public...)
			for _, sel := range []string{".archive .year-link a", ".archive li:not(.year-link) a"} {
				if href, err := firstHref(ctx, sel); err != nil || href == "" {
					t.Fatalf("no %s on /columns/news: %v", sel, err)
				} else {
					pages = append(pages, href)
				}
			}
			check := func(base, path, lang, mode string) {
				t.Helper()
				var ready bool
				if err := chromedp.Run(ctx, chromedp.Navigate(base+path), chromedp.Evaluate(`document.readyState !== "loading"`, &ready)); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				start := time.Now()
				vs, err := axeRun(ctx, source)
				if testing.Verbose() {
					t.Logf("%s %s %s: %d violations, %v", path, lang, mode, len(vs), time.Since(start).Round(time.Millisecond))
				}
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				for _, v := range vs {
					var where []string
					for _, n := range v.Nodes {
						where = append(where, fmt.Sprintf("%v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " ")))
					}
					t.Errorf("%s (%s, %s, %d px): %s — %s\n    %s", path, lang, mode, width, v.ID, v.Help, strings.Join(where, "\n    "))
				}
			}
			for _, lang := range []string{"zh-CN", "en"} {
				for _, mode := range []string{"standard", "care"} {
					// The language and the mode are picked once and remembered.
					pick := fmt.Sprintf("/?lang=%s&mode=%s", lang, mode)
					if err := chromedp.Run(ctx, chromedp.Navigate(site.srv.URL+pick), chromedp.Navigate(deskSrv.URL+pick)); err != nil {
						t.Fatal(err)
					}
					for _, p := range pages {
						check(site.srv.URL, p, lang, mode)
					}
					check(deskSrv.URL, "/desk/login", lang, mode)
				}
			}
			if err := chromedp.Run(ctx, deskLogin(deskSrv.URL, "admin")); err != nil {
				t.Fatal(err)
			}
			deskPages := append([]string{}, desk...)
			for _, find := range []struct{ path, sel, suffix string }{
				{"/desk/search?q=" + url.QueryEscape("学院"), `main a[href^="/desk/articles/"]:not([href$="/new"])`, ""},
				{"/desk/search?q=" + url.QueryEscape("学院"), `main a[href^="/desk/articles/"]:not([href$="/new"])`, "/diff"},
				{"/desk/library", `ul.library a[href^="/desk/library/"]`, ""},
			} {
				if err := chromedp.Run(ctx, chromedp.Navigate(deskSrv.URL+find.path)); err != nil {
					t.Fatal(err)
				}
				href, err := firstHref(ctx, find.sel)
				if err != nil || href == "" {
					t.Fatalf("no %s on %s: %v", find.sel, find.path, err)
				}
				deskPages = append(deskPages, href+find.suffix)
			}
			for _, lang := range []string{"zh-CN", "en"} {
				for _, mode := range []string{"standard", "care"} {
					if err := chromedp.Run(ctx, chromedp.Navigate(fmt.Sprintf("%s/desk/?lang=%s&mode=%s", deskSrv.URL, lang, mode))); err != nil {
						t.Fatal(err)
					}
					for _, p := range deskPages {
						check(deskSrv.URL, p, lang, mode)
					}
				}
			}
		})
	}
}
