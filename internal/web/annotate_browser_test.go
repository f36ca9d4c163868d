package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestAnnotationAndLockInChromium: the unit reviewer opens a submitted
// story (taking its edit lock), selects a passage and annotates it; an
// editor opening the story in another browser sees who is editing and
// the annotation highlighted; the author answers and resolves it.
// Screenshots at 360 and 1280 px.
func TestAnnotationAndLockInChromium(t *testing.T) {
	_, srv := deskServer(t)
	base := srv.URL
	contributor := signIn(t, srv, "contributor")
	id := newStory(t, contributor, "批注与编辑锁的浏览器测试")
	if res, _ := act(t, contributor, id, "submit"); res.StatusCode != 303 {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	page := fmt.Sprintf("%s/desk/articles/%d", base, id)
	a, b := browser(t, 1280, 900, true), browser(t, 360, 800, true)
	var n int
	steps := func(ctx context.Context, step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	steps(a, "reviewer annotates", deskLogin(base, "reviewer"), chromedp.Navigate(page), chromedp.WaitVisible(".editor", chromedp.ByQuery),
		chromedp.Evaluate(`(function(){const e=document.querySelector(".editor");const tn=e.querySelector("p").firstChild;const r=document.createRange();r.setStart(tn,0);r.setEnd(tn,3);const s=getSelection();s.removeAllRanges();s.addRange(r);})()`, nil),
		chromedp.WaitVisible(".annot-new", chromedp.ByQuery),
		chromedp.SendKeys("#annot-body", "请写明是哪一段", chromedp.ByQuery),
		chromedp.Evaluate(`document.body.dataset.old="1"`, nil),
		chromedp.Click(".annot-save", chromedp.ByQuery),
		chromedp.WaitVisible(`body:not([data-old]) .annot[data-start]`, chromedp.ByQuery),
		chromedp.Evaluate(`CSS.highlights.get("annot").size`, &n))
	if n != 1 {
		t.Fatalf("highlighted passages: %d", n)
	}
	steps(b, "editor sees the lock and the annotation", deskLogin(base, "editor"), chromedp.Navigate(page),
		waitText("#lock-notice .lock-text", "正在编辑"), chromedp.WaitVisible(".lock-take", chromedp.ByQuery),
		waitText(".annot .annot-quote", "正文第"), chromedp.Evaluate(`CSS.highlights.get("annot").size`, &n))
	if n != 1 {
		t.Fatalf("the editor sees %d highlighted passages", n)
	}
	screenshot(t, b, "desk-annotations-lock-360")
	steps(b, "1280", emulation.SetDeviceMetricsOverride(1280, 900, 1, false), chromedp.Navigate(page), waitText("#lock-notice .lock-text", "正在编辑"))
	screenshot(t, b, "desk-annotations-lock-1280")
	steps(a, "author answers and resolves", deskLogout(), deskLogin(base, "contributor"), chromedp.Navigate(page),
		chromedp.WaitVisible(".annot-reply-body", chromedp.ByQuery),
		chromedp.SendKeys(".annot-reply-body", "已改为第一段", chromedp.ByQuery),
		chromedp.Evaluate(`document.body.dataset.old="1"`, nil),
		chromedp.Click(".annot-reply-send", chromedp.ByQuery),
		waitText(`body:not([data-old]) .annot-reply`, "已改为第一段"),
		chromedp.Evaluate(`document.body.dataset.old="1"`, nil),
		chromedp.Click(".annot-resolve", chromedp.ByQuery),
		waitText(`body:not([data-old]) .annot-resolved`, "已解决"))
	screenshot(t, a, "desk-annotations-resolved-1280")
}
