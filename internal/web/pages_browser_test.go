package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestHelpPageWrittenWithTheStoryEditorInChromium: an editor opens the
// help page and gets the story editor (the bundle's toolbar, not a raw
// HTML box), types a heading and a bold line with real key events, saves,
// and readers see the structure on /help. Screenshots at 1280 and 360 px.
func TestHelpPageWrittenWithTheStoryEditorInChromium(t *testing.T) {
	_, srv := deskServer(t)
	ctx := browser(t, 1280, 900, true)
	acceptLeaving(ctx)
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	run("open the help page", deskLogin(srv.URL, "editor"),
		chromedp.Navigate(srv.URL+"/desk/pages/help"),
		chromedp.WaitVisible("#page-title", chromedp.ByQuery),
	)
	needBundle(t, ctx)
	var visibleArea bool
	run("the editor replaces the textarea",
		chromedp.WaitReady(`textarea[data-ready="true"]`, chromedp.ByQuery),
		chromedp.Evaluate(`!document.querySelector("#body").hidden`, &visibleArea),
	)
	if visibleArea {
		t.Fatal("the raw HTML textarea is still shown")
	}
	screenshot(t, ctx, "desk-page-editor-1280")
	run("write a heading and a bold line",
		chromedp.Evaluate(`window.newsdeskEditor.commands.clearContent(true)`, nil),
		chromedp.Click(".editor", chromedp.ByQuery),
		chromedp.KeyEvent("订阅与检索"),
		clickTool("小标题"),
		chromedp.KeyEvent(kb.Enter),
		clickTool("加粗"),
		chromedp.KeyEvent("新闻网提供RSS订阅。"),
		chromedp.Click(`.page-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".flash", chromedp.ByQuery),
	)
	res, err := http.Get(srv.URL + "/help")
	if err != nil {
		t.Fatal(err)
	}
	html := body(t, res)
	if !strings.Contains(html, "<h2>订阅与检索</h2>") || !strings.Contains(html, "<strong>新闻网提供RSS订阅。</strong>") {
		t.Errorf("the help page readers get lacks what was written:\n%s", html)
	}
	phone := browser(t, 360, 780, true)
	if err := chromedp.Run(phone, deskLogin(srv.URL, "editor"), chromedp.Navigate(srv.URL+"/desk/pages/help"),
		chromedp.WaitReady(`textarea[data-ready="true"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, phone, "desk-page-editor-360")
	if err := chromedp.Run(phone, chromedp.Navigate(srv.URL+"/desk/site#pages"), chromedp.WaitVisible("#pages", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, phone, "desk-site-360")
}
