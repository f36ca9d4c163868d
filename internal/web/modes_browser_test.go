package web_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPagesInBothReaderModes takes screenshots of the home, an article, a
// column and search results at 360 and 1280 px in the standard view and
// the 长辈版 reader mode, and measures what the modes promise: a compact
// header on phones, and in the reader mode text of 20 px or more with a
// line height of at least 1.5.
func TestPagesInBothReaderModes(t *testing.T) {
	pages := map[string]string{"home": "/", "article": "/articles/" + itoa(seedID(t)), "column": "/columns/news", "search": "/search?q=" + url.QueryEscape("学院")}
	for _, width := range []int64{360, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx := browser(t, width, 800, true)
			for _, mode := range []string{"standard", "care"} {
				if err := chromedp.Run(ctx, chromedp.Navigate(site.srv.URL+"/?mode="+mode)); err != nil {
					t.Fatal(err)
				}
				for name, path := range pages {
					var header, font, line, scroll float64
					err := chromedp.Run(ctx,
						chromedp.Navigate(site.srv.URL+path),
						chromedp.WaitVisible("footer", chromedp.ByQuery),
						chromedp.Evaluate(`document.querySelector("header.masthead").getBoundingClientRect().height`, &header),
						chromedp.Evaluate(`parseFloat(getComputedStyle(document.body).fontSize)`, &font),
						chromedp.Evaluate(`parseFloat(getComputedStyle(document.body).lineHeight)`, &line),
						chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
					)
					if err != nil {
						t.Fatalf("%s: %v", path, err)
					}
					if scroll > float64(width) {
						t.Errorf("%s (%s) at %d px scrolls sideways: %v px", path, mode, width, scroll)
					}
					if width == 360 && mode == "standard" && header > 170 {
						t.Errorf("%s: the header takes %v of 800 px on a phone", path, header)
					}
					if mode == "care" && (font < 20 || line < 1.5*font) {
						t.Errorf("%s in the reader mode: text %v px, line height %v px", path, font, line)
					}
					screenshot(t, ctx, fmt.Sprintf("mode-%s-%s-%d", mode, name, width))
				}
			}
		})
	}
}
