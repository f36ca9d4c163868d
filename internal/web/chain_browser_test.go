package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/column"
	"newsdesk/internal/demo"
)

// TestCorrectionCardLooksRight keeps screenshots, at phone and desktop
// width, of a story in the 三审三校 column whose correction waits at its
// second step (the correction's progress line and decisions) and of its
// review record with the content checks, and checks neither page
// scrolls sideways.
func TestCorrectionCardLooksRight(t *testing.T) {
	chromium(t)
	a, srv := deskServer(t)
	cols, _ := a.Store.Columns(context.Background())
	col, err := column.NewTree(cols).BySlug(demo.ChainColumn)
	if err != nil {
		t.Fatal(err)
	}
	editor, proof, chief := signIn(t, srv, "editor"), signIn(t, srv, "proofreader"), signIn(t, srv, "chief")
	res, d := editor.post("/desk/articles", url.Values{"csrf": {editor.csrf()}, "column": {itoa(col.ID)}, "title": {"讲座提到演示提醒词的院系稿件"},
		"summary": {"摘要"}, "body": {"<p>院系稿件的正文，讲座提到演示提醒词。</p>"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	id := articleID(res.Header.Get("Location"))
	do := func(c *deskClient, action string, extra ...string) {
		t.Helper()
		if res, d := act(t, c, id, action, extra...); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %q", action, res.StatusCode, d.Find(".error-box").Text())
		}
	}
	do(editor, "checks/ack", "reason", "讲座原题，保留")
	for _, step := range []struct {
		c      *deskClient
		action string
	}{{editor, "submit"}, {editor, "approve"}, {editor, "approve"}, {proof, "approve"}, {chief, "publish"}} {
		do(step.c, step.action)
	}
	res, d = editor.post(fmt.Sprintf("/desk/articles/%d", id), url.Values{"csrf": {editor.csrf()}, "version": {version(t, id)}, "column": {itoa(col.ID)},
		"title": {"讲座提到演示提醒词的院系稿件（更正）"}, "summary": {"摘要"}, "body": {"<p>院系稿件的正文，讲座提到演示提醒词。</p>"}, "correction": {"更正：标题补充。"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correct: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	do(editor, "approve")
	for _, w := range []int64{360, 1280} {
		ctx := browser(t, w, 800, true)
		var scroll, width int64
		if err := chromedp.Run(ctx, deskLogin(srv.URL, "editor")); err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct{ path, name, wait string }{
			{fmt.Sprintf("/desk/articles/%d", id), "desk-correction", ".revision"},
			{fmt.Sprintf("/desk/articles/%d/record", id), "desk-record-checks", ".record-checks"},
		} {
			err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+p.path), chromedp.WaitVisible(p.wait, chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll), chromedp.Evaluate(`window.innerWidth`, &width))
			if err != nil {
				t.Fatal(err)
			}
			if scroll > width {
				t.Errorf("%s at %d px scrolls sideways: %d", p.name, w, scroll)
			}
			screenshot(t, ctx, fmt.Sprintf("%s-%d", p.name, w))
		}
	}
}
