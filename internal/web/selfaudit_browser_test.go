package web_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSelfAuditSettingsInChromium: the site page's network-check settings
// and the columns' update periods, and the self-audit page saying whether
// network checks are on, fit 360 px without sideways scrolling.
// Screenshots at 1280 and 360 px.
func TestSelfAuditSettingsInChromium(t *testing.T) {
	_, srv := deskServer(t)
	for _, width := range []int64{1280, 360} {
		ctx := browserFor(t, width, 900, true, 5*time.Minute)
		if err := chromedp.Run(ctx, deskLogin(srv.URL, "editor")); err != nil {
			t.Fatal(err)
		}
		for name, p := range map[string]struct{ path, sel string }{
			"links":   {"/desk/site", "#link-checks"},
			"columns": {"/desk/site", "input[name=update_days]"},
			"audit":   {"/desk/selfaudit", "#audit-links"},
		} {
			var scroll int64
			if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+p.path),
				chromedp.WaitVisible(p.sel, chromedp.ByQuery), chromedp.ScrollIntoView(p.sel, chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll)); err != nil {
				t.Fatalf("%d px, %s: %v", width, name, err)
			}
			if width == 360 && scroll > 360 {
				t.Errorf("%s at 360 px scrolls sideways: %d px wide", p.path, scroll)
			}
			screenshot(t, ctx, fmt.Sprintf("selfaudit-%s-%d", name, width))
		}
	}
}
