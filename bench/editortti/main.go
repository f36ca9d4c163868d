// Command editortti measures the desk story page in headless Chromium:
// how long from navigation start until the page is interactive (the
// DevTools protocol's navigation timing: domInteractive,
// DOMContentLoaded, load) and until the bundled editor is ready to type in
// (the editor marks the body textarea data-ready-ms when it has built
// itself), over a number of loads of a demo story; and the editor
// bundle's size, raw and gzip -9. It runs Newsdesk's own handler with the
// demo site on 127.0.0.1 and Debian's Chromium.
//
//	bash scripts/editor.sh && go run ./bench/editortti -runs 20
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

func main() {
	runs := flag.Int("runs", 20, "story page loads to measure")
	bundle := flag.String("bundle", "internal/web/render/static/editor.bundle.js", "the editor bundle to weigh")
	flag.Parse()
	ctx := context.Background()

	if b, err := os.ReadFile(*bundle); err != nil {
		fmt.Printf("editor bundle: %v (run bash scripts/editor.sh)\n", err)
	} else {
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		w.Write(b)
		w.Close()
		fmt.Printf("editor bundle: %.1f KB, %.1f KB gzip -9 (target ≤ 200 KB)\n", float64(len(b))/1024, float64(z.Len())/1024)
	}

	dir, err := os.MkdirTemp("", "editortti-*")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cfg, err := config.Parse("bench", []string{"--data", dir})
	if err != nil {
		log.Fatal(err)
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	if err := a.LoadDemo(ctx, demo.Options{Until: time.Now(), Seed: 1}); err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(a.Web)
	defer srv.Close()
	stories, _, err := a.Store.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, Limit: 1})
	if err != nil || len(stories) == 0 {
		log.Fatalf("a demo story: %v", err)
	}
	page := fmt.Sprintf("%s/desk/articles/%d", srv.URL, stories[0].ID)

	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		log.Fatal("chromium is not installed (apt-get install chromium)")
	}
	profile := filepath.Join(dir, "chromium")
	actx, cancel := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 900))...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 10*time.Minute)
	defer cancel()
	if err := chromedp.Run(bctx, chromedp.Navigate(srv.URL+"/desk/login"), chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.SendKeys("#username", "editor", chromedp.ByQuery), chromedp.SendKeys("#password", demo.DemoPassword, chromedp.ByQuery),
		chromedp.Submit("#password", chromedp.ByQuery), chromedp.WaitVisible("form.inline button", chromedp.ByQuery)); err != nil {
		log.Fatalf("sign in: %v", err)
	}

	type timing struct{ Interactive, DOMContent, Load, Editor float64 }
	var ts []timing
	for i := 0; i < *runs+1; i++ {
		var t timing
		err := chromedp.Run(bctx, chromedp.Navigate(page),
			chromedp.WaitReady(`textarea[data-ready="true"]`, chromedp.ByQuery),
			chromedp.Poll(`performance.getEntriesByType("navigation")[0].loadEventEnd > 0`, nil),
			chromedp.Evaluate(`(() => { const n = performance.getEntriesByType("navigation")[0];
				return {Interactive: n.domInteractive, DOMContent: n.domContentLoadedEventEnd, Load: n.loadEventEnd,
					Editor: +document.querySelector("textarea[data-ready]").dataset.readyMs}; })()`, &t))
		if err != nil {
			log.Fatalf("load %d: %v", i, err)
		}
		if i > 0 { // the first load fills the browser's cache
			ts = append(ts, t)
		}
	}
	report := func(name string, f func(timing) float64) {
		xs := make([]float64, len(ts))
		for i, t := range ts {
			xs[i] = f(t)
		}
		slices.Sort(xs)
		fmt.Printf("%-34s p50 %6.0f ms   p90 %6.0f ms   max %6.0f ms\n", name, xs[len(xs)/2], xs[len(xs)*9/10], xs[len(xs)-1])
	}
	fmt.Printf("story page %s, %d loads after one warm-up, 1280×900, headless Chromium\n", "/desk/articles/N", len(ts))
	report("domInteractive", func(t timing) float64 { return t.Interactive })
	report("DOMContentLoaded end", func(t timing) float64 { return t.DOMContent })
	report("load end", func(t timing) float64 { return t.Load })
	report("editor ready (time to interactive)", func(t timing) float64 { return t.Editor })
}
