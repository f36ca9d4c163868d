package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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
		chromedp.Poll(`CSS.highlights.has("annot") && CSS.highlights.get("annot").size`, &n, chromedp.WithPollingTimeout(10*time.Second)))
	if n != 1 {
		t.Fatalf("highlighted passages: %d", n)
	}
	steps(b, "editor sees the lock and the annotation", deskLogin(base, "editor"), chromedp.Navigate(page),
		waitText("#lock-notice .lock-text", "正在编辑"), chromedp.WaitVisible(".lock-take", chromedp.ByQuery),
		waitText(".annot .annot-quote", "正文第"), chromedp.Poll(`CSS.highlights.has("annot") && CSS.highlights.get("annot").size`, &n, chromedp.WithPollingTimeout(10*time.Second)))
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

// TestCorrectedStoryPageInChromium: a published story whose working copy
// was approved shows 更新于 and its correction note, at 360 and 1280 px
// (screenshots), without horizontal scrolling; the desk page of a story
// with a working copy waiting is kept as a screenshot too.
func TestCorrectedStoryPageInChromium(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	editor := signIn(t, srv, "editor")
	id := newStory(t, editor, "更正说明的页面")
	act(t, editor, id, "publish")
	actor := editorActor(t, a)
	st, err := a.Articles.Editable(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	st.Title, st.Correction = "更正说明的页面（已更正）", "更正：本文原稿中的会议日期有误，已于今日更正。"
	if err := a.Articles.Update(ctx, actor, &st); err != nil {
		t.Fatal(err)
	}
	b := browser(t, 1280, 900, true)
	if err := chromedp.Run(b, deskLogin(srv.URL, "editor"), chromedp.Navigate(fmt.Sprintf("%s/desk/articles/%d", srv.URL, id)),
		chromedp.WaitVisible(".revision", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, b, "desk-working-copy-1280")
	if _, err := a.Articles.ApproveRevision(ctx, actor, id, st.Version, ""); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{360, 1280} {
		c := browser(t, width, 800, true)
		var scroll, text string
		if err := chromedp.Run(c, chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, id)), chromedp.WaitVisible(".correction", chromedp.ByQuery),
			chromedp.Text(".story", &text, chromedp.ByQuery),
			chromedp.Evaluate(`String(document.documentElement.scrollWidth > document.documentElement.clientWidth)`, &scroll)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "更新于") || !strings.Contains(text, "会议日期有误") || scroll != "false" {
			t.Errorf("%d px: 更新于 or the note missing, or the page scrolls sideways (%s)", width, scroll)
		}
		screenshot(t, c, fmt.Sprintf("public-corrected-%d", width))
	}
}
