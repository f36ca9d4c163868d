package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestUsersUnitsAndAuditPagesAtPhoneAndDesktop opens the administrators'
// pages at 360 and 1280 px: each list is a table with column headers,
// nothing scrolls sideways, and every column header the desktop shows is
// still said on a phone (the table folds into labelled rows). Screenshots
// are kept for a person to look at.
func TestUsersUnitsAndAuditPagesAtPhoneAndDesktop(t *testing.T) {
	_, srv := deskServer(t)
	for _, width := range []int64{360, 1280} {
		ctx := browser(t, width, 900, true)
		if err := chromedp.Run(ctx, deskLogin(srv.URL, "admin")); err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			path   string
			tables []string
		}{
			"users": {"/desk/users", []string{"table.users-table", "table.units-table"}},
			"audit": {"/desk/audit", []string{"table.audit"}},
		} {
			var wide bool
			if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+c.path), chromedp.WaitVisible("main h1", chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.scrollWidth > innerWidth + 1`, &wide)); err != nil {
				t.Fatal(err)
			}
			if wide {
				t.Errorf("%s scrolls sideways at %d px", c.path, width)
			}
			for _, sel := range c.tables {
				var heads []string
				var hidden []string
				if err := chromedp.Run(ctx,
					chromedp.Evaluate(`[...document.querySelectorAll("`+sel+` thead th")].map(th => th.textContent.trim())`, &heads),
					// A header the phone hides must be said beside each cell (data-label).
					chromedp.Evaluate(`(() => {
						const t = document.querySelector("`+sel+`"); if (!t) return ["no table"];
						const heads = [...t.querySelectorAll("thead th")];
						const out = [];
						t.querySelectorAll("tbody tr").forEach(tr => [...tr.children].forEach((td, i) => {
							const h = heads[i] && heads[i].textContent.trim();
							if (!h || !td.textContent.trim()) return;
							if (!td.offsetParent) { out.push(h + " (hidden)"); return; }
							const shown = heads[i].offsetParent !== null || (td.dataset.label === h && getComputedStyle(td, "::before").content.includes(h));
							if (!shown && td.textContent.trim()) out.push(h);
						}));
						return [...new Set(out)];
					})()`, &hidden),
				); err != nil {
					t.Fatal(err)
				}
				if len(heads) < 2 {
					t.Errorf("%s at %d px: %s has no column headers (%v)", c.path, width, sel, heads)
				}
				if len(hidden) > 0 {
					t.Errorf("%s at %d px: %s shows cells without saying their column: %s", c.path, width, sel, strings.Join(hidden, ", "))
				}
			}
			screenshot(t, ctx, "desk-"+name+"-"+itoa(width))
		}
	}
}
