package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromium finds Debian's Chromium; the browser tests skip, saying why, when
// it is absent (scripts/test.sh installs it, so CI always runs them), and
// under go test -short, the quick edit loop.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("a browser test: skipped under -short")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; scripts/test.sh installs it")
	}
	t.Skip("chromium is not installed: run scripts/test.sh (it installs Debian's chromium) to run the browser tests")
	return ""
}

// browser starts headless Chromium with the flags that keep it off the
// network, and returns a context for one tab.
func browser(t *testing.T, width, height int64, js bool) context.Context {
	t.Helper()
	return browserFor(t, width, height, js, 90*time.Second)
}

// browserFor is browser for a tab that may take up to timeout in all.
func browserFor(t *testing.T, width, height int64, js bool, timeout time.Duration) context.Context {
	t.Helper()
	// Chromium may still be writing its profile as it exits, so the folder is
	// removed best-effort rather than with t.TempDir's strict cleanup.
	profile, err := os.MkdirTemp("", "newsdesk-chromium-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		// A reader in China: the site must come up in Chinese.
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(int(width), int(height)),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancel3)
	actions := []chromedp.Action{emulation.SetDeviceMetricsOverride(width, height, 1, width < 600)}
	if !js {
		actions = append(actions, emulation.SetScriptExecutionDisabled(true))
	}
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// screenshot saves what the reader first sees (name.png) and the whole page
// (name-full.png) under test-output/screenshots at the repository root.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var top, full []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&top), chromedp.FullScreenshot(&full, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "..", "test-output", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for file, png := range map[string][]byte{name + ".png": top, name + "-full.png": full} {
		if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPagesFitPhoneAndDesktop loads the main pages at 360 px and 1280 px,
// expects no horizontal scrolling and keeps screenshots.
func TestPagesFitPhoneAndDesktop(t *testing.T) {
	pages := map[string]string{"home": "/", "article": "/articles/" + itoa(seedID(t)), "column": "/columns/news", "sitemap": "/sitemap"}
	for _, width := range []int64{360, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx := browser(t, width, 800, true)
			for name, path := range pages {
				// A phone's viewport grows to fit what overflows, so the
				// page is measured against the emulated width, not innerWidth.
				var scroll int64
				err := chromedp.Run(ctx,
					chromedp.Navigate(site.srv.URL+path),
					chromedp.WaitVisible("footer", chromedp.ByQuery),
					chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
				)
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if scroll > width {
					t.Errorf("%s at %d px scrolls sideways: content %d px wide", path, width, scroll)
				}
				screenshot(t, ctx, fmt.Sprintf("%s-%d", name, width))
			}
		})
	}
}

// TestCarouselByKeyboard focuses the carousel and moves with the arrow keys;
// rotation must stay paused while it has keyboard focus.
func TestCarouselByKeyboard(t *testing.T) {
	ctx := browser(t, 1280, 800, true)
	var current string
	var n int
	err := chromedp.Run(ctx,
		chromedp.Navigate(site.srv.URL+"/"),
		chromedp.WaitVisible(`[data-carousel][data-ready="true"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll(".slide").length`, &n),
		chromedp.Focus(".slides", chromedp.ByQuery),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.Sleep(800*time.Millisecond),
		chromedp.AttributeValue(`.dots a[aria-current="true"]`, "href", &current, nil, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 || current != "#focus-2" {
		t.Fatalf("after → : %d slides, current %q, want #focus-2", n, current)
	}
	var focused string
	want := fmt.Sprintf("#focus-%d", n)
	err = chromedp.Run(ctx,
		chromedp.KeyEvent(kb.ArrowLeft),
		chromedp.KeyEvent(kb.ArrowLeft),
		// The smooth scroll takes its time on a busy machine: wait for the
		// state to settle (up to 5 s) rather than a fixed pause.
		chromedp.Poll(fmt.Sprintf(`document.querySelector('.dots a[aria-current="true"]').getAttribute("href") === %q`, want), nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.AttributeValue(`.dots a[aria-current="true"]`, "href", &current, nil, chromedp.ByQuery),
		chromedp.Evaluate(`document.activeElement.closest(".slide") && document.activeElement.closest(".slide").id`, &focused),
	)
	if err != nil {
		t.Fatalf("after ← ← : %v (current %q)", err, current)
	}
	if current != want || "#"+focused != want {
		t.Fatalf("after ← ← : current %q, focus %q, want %s (wraps around)", current, focused, want)
	}
	// Keyboard focus pauses rotation: 7 s later the slide has not moved.
	err = chromedp.Run(ctx,
		chromedp.Sleep(7*time.Second),
		chromedp.AttributeValue(`.dots a[aria-current="true"]`, "href", &current, nil, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("#focus-%d", n); current != want {
		t.Fatalf("rotation ran while focused: %q", current)
	}
	screenshot(t, ctx, "carousel-keyboard")
}

// TestCarouselRotatesAndWorksWithoutJS checks rotation with JavaScript and
// the anchor navigation without it.
func TestCarouselRotatesAndWorksWithoutJS(t *testing.T) {
	ctx := browser(t, 1280, 800, true)
	var current string
	err := chromedp.Run(ctx,
		chromedp.Navigate(site.srv.URL+"/"),
		chromedp.WaitVisible(`[data-carousel][data-ready="true"]`, chromedp.ByQuery),
		chromedp.Sleep(6500*time.Millisecond),
		chromedp.AttributeValue(`.dots a[aria-current="true"]`, "href", &current, nil, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if current != "#focus-2" {
		t.Fatalf("after 6.5 s the carousel shows %q, want #focus-2", current)
	}

	noJS := browser(t, 360, 800, false)
	var left float64
	var ready string
	err = chromedp.Run(noJS,
		chromedp.Navigate(site.srv.URL+"/"),
		chromedp.WaitVisible(".slides", chromedp.ByQuery),
		chromedp.Click(`.dots a[href="#focus-3"]`, chromedp.ByQuery),
		chromedp.Sleep(800*time.Millisecond),
		chromedp.Evaluate(`document.querySelector(".slides").scrollLeft`, &left),
		chromedp.Evaluate(`document.querySelector("[data-carousel]").dataset.ready || ""`, &ready),
	)
	if err != nil {
		t.Fatal(err)
	}
	if ready != "" || left < 300 {
		t.Fatalf("without JS: script ran=%q, slides scrolled to %v px, want the third slide", ready, left)
	}
	screenshot(t, noJS, "carousel-nojs-360")
}
