package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/demo"
	"newsdesk/internal/model"
	"newsdesk/internal/review"
)

// TestFourStepReviewChainInChromium takes a story through the demo's
// 三审三校 chain of 院系动态 in a real browser: the contributor submits it;
// 单位初审 (reviewer) and 编辑复审 (editor) approve; at 校对 the proofreader
// corrects the text and returns it to the author with a preset reason;
// the contributor resubmits; the chain runs again and the chief publishes
// at 总编终审; the story is on the home page. The progress line, the chain
// configuration and the printable review record are photographed at 1280
// and 360 px.
func TestFourStepReviewChainInChromium(t *testing.T) {
	a, srv := deskServer(t)
	ctx := browser(t, 1280, 900, true)
	base := srv.URL
	cols, err := a.Store.Columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var col model.Column
	for _, c := range cols {
		if c.Slug == demo.ChainColumn {
			col = c
		}
	}
	// Other tests on this site may have changed the preset reasons.
	if _, err := a.Reviews.SaveReasons(context.Background(), model.SystemActor("test"), review.DefaultReasons); err != nil {
		t.Fatal(err)
	}
	const title = "研究生院召开新学期教学工作会议"
	var loc, text string
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	shot := func(name string) { screenshot(t, ctx, "review-"+name) }
	run("contributor writes and submits", deskLogin(base, "contributor"),
		chromedp.Navigate(base+"/desk/articles/new"),
		chromedp.WaitVisible(".editor", chromedp.ByQuery),
		chromedp.SetValue("#column", itoa(col.ID), chromedp.ByQuery),
		chromedp.SendKeys("#title", title, chromedp.ByQuery),
		chromedp.SendKeys("#summary", "研究生院部署本学期研究生培养工作。", chromedp.ByQuery),
		chromedp.Click(".editor", chromedp.ByQuery),
		chromedp.KeyEvent("会议部署了本学期研究生课程教学工做。"),
		clickFor(`form.card button[type=submit]`, "已保存"),
		chromedp.Location(&loc),
		clickFor("button.action-submit", "已提交审核"),
	)
	path := loc[strings.Index(loc, "/desk/articles/"):]
	if i := strings.Index(path, "?"); i > 0 {
		path = path[:i]
	}
	approve := func(who string) {
		t.Helper()
		run(who+" approves", deskLogout(), deskLogin(base, who),
			chromedp.Navigate(base+"/desk/"),
			waitText(".inbox", title), // the step waits in their inbox
			chromedp.Navigate(base+path),
			chromedp.WaitVisible("button.action-approve", chromedp.ByQuery),
			clickFor("button.action-approve", "已审核通过"),
		)
	}
	approve("reviewer")
	approve("editor")
	run("the proofreader corrects the text and returns it to the author", deskLogout(), deskLogin(base, "proofreader"),
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(".progress-current", chromedp.ByQuery),
		waitText(".progress-current", "校对"),
	)
	shot("progress-1280")
	run("correct",
		chromedp.Evaluate(`(() => { const e = document.querySelector(".editor"); e.innerHTML = e.innerHTML.replace("工做", "工作"); e.dispatchEvent(new InputEvent("input", {bubbles: true})); })()`, nil),
		clickFor(`form.card button[type=submit]`, "已保存"),
		chromedp.SetValue("#reason", "标题不规范", chromedp.ByQuery),
		chromedp.SendKeys("#comment-return", "标题请写明会议名称。", chromedp.ByQuery),
		clickFor("button.action-return", "已退回修改"),
	)
	run("the contributor sees the reason and resubmits", deskLogout(), deskLogin(base, "contributor"),
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(".history", chromedp.ByQuery),
		chromedp.Text(".history", &text, chromedp.ByQuery),
	)
	if !strings.Contains(text, "标题不规范") || !strings.Contains(text, "标题请写明会议名称。") || !strings.Contains(text, "[校对]") {
		t.Errorf("the author's history lacks the return's step, reason or comment: %q", text)
	}
	run("resubmit", clickFor("button.action-submit", "已提交审核"))
	approve("reviewer")
	approve("editor")
	approve("proofreader")
	run("the chief publishes at 总编终审", deskLogout(), deskLogin(base, "chief"),
		chromedp.Navigate(base+"/desk/"),
		waitText(".inbox", title),
		chromedp.Navigate(base+path),
		chromedp.WaitVisible("button.action-publish", chromedp.ByQuery),
		clickFor("button.action-publish", "已发布"),
		chromedp.Text(".progress", &text, chromedp.ByQuery),
	)
	for _, want := range []string{"单位初审", "王审核", "编辑复审", "李编辑", "校对", "周校对", "总编终审", "赵总编"} {
		if !strings.Contains(text, want) {
			t.Errorf("the progress line lacks %s: %q", want, text)
		}
	}
	shot("published-1280")
	run("the home page shows it", chromedp.Navigate(base+"/"), chromedp.WaitVisible("main", chromedp.ByQuery), chromedp.Text("main", &text, chromedp.ByQuery))
	if !strings.Contains(text, title) {
		t.Errorf("the home page does not show the published story")
	}
	run("the record", chromedp.Navigate(base+path+"/record"), chromedp.WaitVisible(".record", chromedp.ByQuery), chromedp.Text(".record", &text, chromedp.ByQuery))
	for _, want := range []string{"审核登记表", title, "院系动态", "研究生院", "陈通讯", "标题不规范", "赵总编", "/articles/"} {
		if !strings.Contains(text, want) {
			t.Errorf("the review record lacks %s", want)
		}
	}
	shot("record-1280")
	run("the chain configuration", deskLogout(), deskLogin(base, "editor"), chromedp.Navigate(base+"/desk/review"), chromedp.WaitVisible(".chains", chromedp.ByQuery))
	shot("chains-1280")
	run("the chain form", chromedp.Navigate(base+"/desk/review/columns/"+itoa(col.ID)), chromedp.WaitVisible(".chain-form", chromedp.ByQuery))
	shot("chain-1280")

	phone := browser(t, 360, 800, true)
	if err := chromedp.Run(phone, deskLogin(base, "editor")); err != nil {
		t.Fatal(err)
	}
	for _, pg := range []struct{ name, path string }{{"progress", path}, {"record", path + "/record"}, {"chains", "/desk/review"}, {"chain", "/desk/review/columns/" + itoa(col.ID)}} {
		// The phone's viewport grows to fit what overflows: measure the page.
		var scroll int64
		if err := chromedp.Run(phone, chromedp.Navigate(base+pg.path), chromedp.WaitVisible(".desk-main", chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll)); err != nil {
			t.Fatal(err)
		}
		if scroll > 360 {
			t.Errorf("%s is %d px wide at 360 px", pg.name, scroll)
		}
		screenshot(t, phone, "review-"+pg.name+"-360")
	}
}
