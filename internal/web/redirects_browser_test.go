package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// TestDeskRedirectsPageFitsPhoneAndDesktop: the redirects page, with a
// redirect to a story and one to an address, fits 360 px without sideways
// scrolling and 1280 px; screenshots of both are kept.
func TestDeskRedirectsPageFitsPhoneAndDesktop(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	list, _, err := a.Store.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no story: %v", err)
	}
	for _, r := range []model.Redirect{{Path: "/info/1012/34567.htm", ArticleID: list[0].ID}, {Path: "/2019/0601/c1234a56789/page.htm?from=timeline", Target: "https://www.example.edu.cn/xwzx/"}} {
		if _, err := a.Redirects.Save(ctx, model.SystemActor("test"), r); err != nil {
			t.Fatal(err)
		}
	}
	for _, width := range []int64{360, 1280} {
		bctx := browser(t, width, 800, true)
		var scroll int64
		err := chromedp.Run(bctx, deskLogin(srv.URL, "editor"),
			chromedp.Navigate(srv.URL+"/desk/redirects"),
			chromedp.WaitVisible("#redirect-path", chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll))
		if err != nil {
			t.Fatal(err)
		}
		if scroll > width {
			t.Errorf("the redirects page at %d px scrolls sideways: %d px wide", width, scroll)
		}
		screenshot(t, bctx, fmt.Sprintf("desk-redirects-%d", width))
	}
}
