package web_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// TestStoryListFiltersAndPagesInChromium: on a site of 10,000 more
// stories, an editor filters the story list by state with the form, then
// follows 下一页 to page 50: every page is full, no story comes twice, and
// page 50 holds the stories the store puts there. A column filter keeps
// only that column. The list and the dashboard are captured at 1280 and
// 360 px, and neither scrolls sideways on the phone.
func TestStoryListFiltersAndPagesInChromium(t *testing.T) {
	chromium(t)
	dir, err := os.MkdirTemp("", "newsdesk-storylist-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	a, srv := newSite(dir)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	cols, _ := a.Store.Columns(ctx)
	t0 := demoUntil.AddDate(-3, 0, 0)
	const extra = 10_000
	for start := 0; start < extra; start += 2000 {
		err := a.Store.Tx(ctx, func(tx store.Store) error {
			for i := start; i < start+2000; i++ {
				st := model.StatusPublished
				if i%5 == 4 {
					st = model.StatusDraft
				}
				x := model.Article{ColumnID: cols[i%len(cols)].ID, Title: fmt.Sprintf("翻页稿件%05d", i), Body: "<p>正文</p>", Status: st}
				if st == model.StatusPublished {
					x.PublishedAt = t0.Add(time.Duration(i/2) * time.Hour) // two to an hour: the id breaks ties
				}
				if err := tx.CreateArticle(ctx, &x); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	total, _ := a.Store.CountArticles(ctx, store.ListQuery{Status: model.StatusPublished})
	// What page 50 of the published stories holds, by the store.
	want, _, err := a.Store.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, Limit: 50, Offset: 49 * 50})
	if err != nil {
		t.Fatal(err)
	}
	var wantIDs []string
	for _, x := range want {
		wantIDs = append(wantIDs, fmt.Sprint(x.ID))
	}

	tab := browserFor(t, 1280, 900, true, 5*time.Minute)
	var ids []string
	err = chromedp.Run(tab, deskLogin(srv.URL, "editor"),
		chromedp.Navigate(srv.URL+"/desk/articles"),
		chromedp.WaitVisible(".story-table", chromedp.ByQuery),
		chromedp.SetValue("#f-state", model.StatusPublished, chromedp.ByQuery),
		chromedp.Evaluate(`document.body.dataset.old = "1"`, nil),
		chromedp.Click(".story-filters button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(`body:not([data-old]) .story-table`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, tab, "desk-stories-1280")
	seen := map[string]int{}
	for page := 1; page <= 50; page++ {
		if err := chromedp.Run(tab, chromedp.Evaluate(`[...document.querySelectorAll(".story-table td.title a")].map(a => a.getAttribute("href").split("/").pop())`, &ids)); err != nil {
			t.Fatal(err)
		}
		if len(ids) != 50 {
			t.Fatalf("page %d has %d stories", page, len(ids))
		}
		for _, id := range ids {
			if p, ok := seen[id]; ok {
				t.Fatalf("story %s on page %d and again on page %d", id, p, page)
			}
			seen[id] = page
		}
		var states []string
		if err := chromedp.Run(tab, chromedp.Evaluate(`[...document.querySelectorAll(".story-table .state")].map(s => s.className)`, &states)); err != nil {
			t.Fatal(err)
		}
		for _, s := range states {
			if !strings.Contains(s, "state-published") {
				t.Fatalf("page %d shows a story that is %s", page, s)
			}
		}
		if page == 50 {
			break
		}
		err := chromedp.Run(tab,
			chromedp.Evaluate(`document.body.dataset.old = "1"`, nil),
			chromedp.Click(`.pager a[rel=next]`, chromedp.ByQuery),
			chromedp.WaitVisible(`body:not([data-old]) .story-table`, chromedp.ByQuery),
		)
		if err != nil {
			t.Fatalf("to page %d: %v", page+1, err)
		}
	}
	if strings.Join(ids, ",") != strings.Join(wantIDs, ",") {
		t.Fatalf("page 50 = %v\nwant %v", ids, wantIDs)
	}
	var status string
	if err := chromedp.Run(tab, chromedp.Text(".pager span", &status, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if wantStatus := fmt.Sprintf("第 50 页 / 共 %d 页", (total+49)/50); status != wantStatus {
		t.Errorf("pager says %q, want %q", status, wantStatus)
	}
	// Back one page: page 49 again, the same stories.
	if err := chromedp.Run(tab,
		chromedp.Evaluate(`document.body.dataset.old = "1"`, nil),
		chromedp.Click(`.pager a[rel=prev]`, chromedp.ByQuery),
		chromedp.WaitVisible(`body:not([data-old]) .story-table`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll(".story-table td.title a")].map(a => a.getAttribute("href").split("/").pop())`, &ids),
	); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if seen[id] != 49 {
			t.Fatalf("back from page 50: story %s was on page %d", id, seen[id])
		}
	}
	// A column filter keeps that column only.
	col := cols[2]
	var names []string
	if err := chromedp.Run(tab,
		chromedp.SetValue("#f-column", fmt.Sprint(col.ID), chromedp.ByQuery),
		chromedp.Evaluate(`document.body.dataset.old = "1"`, nil),
		chromedp.Click(".story-filters button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(`body:not([data-old]) .story-table`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll(".story-table tbody tr td:nth-child(3)")].map(td => td.textContent)`, &names),
	); err != nil {
		t.Fatal(err)
	}
	subs := map[string]bool{col.Name: true}
	for _, c := range cols {
		if c.ParentID == col.ID {
			subs[c.Name] = true
		}
	}
	if len(names) == 0 {
		t.Fatal("the column filter shows nothing")
	}
	for _, n := range names {
		if !subs[n] {
			t.Fatalf("column %q under the filter for %q", n, col.Name)
		}
	}
	if err := chromedp.Run(tab, chromedp.Navigate(srv.URL+"/desk/"), chromedp.WaitVisible(".tiles", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, tab, "desk-dashboard-1280")

	phone := browser(t, 360, 800, true)
	if err := chromedp.Run(phone, deskLogin(srv.URL, "editor")); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"stories": "/desk/articles", "dashboard": "/desk/"} {
		var scroll int64
		if err := chromedp.Run(phone, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(".desk-main", chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll)); err != nil {
			t.Fatal(err)
		}
		if scroll > 360 {
			t.Errorf("%s at 360 px scrolls sideways: %d px", path, scroll)
		}
		screenshot(t, phone, "desk-"+name+"-360")
		// And further down: the table's rows as a phone shows them.
		if err := chromedp.Run(phone, chromedp.Evaluate(`window.scrollTo(0, document.querySelector(".story-list, .dash-grid").offsetTop)`, nil)); err != nil {
			t.Fatal(err)
		}
		screenshot(t, phone, "desk-"+name+"-360-rows")
	}
	// A contributor's dashboard: their drafts and returned stories, no slot board.
	if err := chromedp.Run(phone, deskLogout(), deskLogin(srv.URL, "contributor"), chromedp.Navigate(srv.URL+"/desk/"), chromedp.WaitVisible(".tiles", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, phone, "desk-dashboard-contributor-360")
}
