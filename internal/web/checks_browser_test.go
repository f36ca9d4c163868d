package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestLiveCheckMarksASensitiveWordAndAppliesAFixInChromium: an editor
// types into the story editor; the placeholder sensitive word and a
// confused word are underlined and listed; a click on the fix replaces the
// confused word in the text. Screenshots of the live check, the story's
// findings panel and the rule pages at 1280 and 360 px.
func TestLiveCheckMarksASensitiveWordAndAppliesAFixInChromium(t *testing.T) {
	_, srv := deskServer(t)
	base := srv.URL
	for _, width := range []int64{1280, 360} {
		ctx := browser(t, width, 900, true)
		run := func(step string, actions ...chromedp.Action) {
			t.Helper()
			if err := chromedp.Run(ctx, actions...); err != nil {
				t.Fatalf("%d px, %s: %v", width, step, err)
			}
		}
		shot := func(name string) { screenshot(t, ctx, fmt.Sprintf("checks-%s-%d", name, width)) }
		var highlighted int
		var body string
		var groups []string
		run("write", deskLogin(base, "editor"),
			chromedp.Navigate(base+"/desk/articles/new"),
			chromedp.WaitVisible(".editor", chromedp.ByQuery),
			chromedp.SetValue("#column", "2", chromedp.ByQuery),
			chromedp.SendKeys("#title", "实时检查的稿件", chromedp.ByQuery),
			chromedp.Click(".editor", chromedp.ByQuery),
			chromedp.SendKeys(".editor", "下午,会上出现了示例敏感词，既使下雨也照常举行。", chromedp.ByQuery),
			waitText("#live-checks .finding-block", "示例敏感词"),
			waitText("#live-checks", "既使"),
			waitText("#live-checks .findings-info", ","),
			chromedp.Evaluate(`CSS.highlights.get("check-block") ? CSS.highlights.get("check-block").size : 0`, &highlighted),
			chromedp.Evaluate(`Array.from(document.querySelectorAll("#live-checks h4")).map(h => h.className + " " + h.textContent)`, &groups),
		)
		if highlighted != 1 {
			t.Errorf("%d px: %d block-level ranges underlined, want 1", width, highlighted)
		}
		// The panel lists them by level, the suggestions (the half-width
		// comma) last and apart, saying they need no acknowledgement.
		if len(groups) != 3 || !strings.Contains(groups[0], "level-block") || !strings.Contains(groups[1], "level-warn") || !strings.Contains(groups[2], "level-info 建议") {
			t.Errorf("%d px: live panel groups %q, want block, warn, then info (建议)", width, groups)
		}
		shot("live")
		run("apply the fix",
			chromedp.Click(`#live-checks .finding-warn button.check-fix`, chromedp.ByQuery),
			waitText(".editor", "即使下雨"),
			chromedp.Text(".editor", &body, chromedp.ByQuery),
		)
		if strings.Contains(body, "既使") || !strings.Contains(body, "示例敏感词") {
			t.Errorf("%d px: after the fix the text is %q", width, body)
		}
		run("save", clickFor(`form.card button[type=submit]`, "已保存"),
			chromedp.WaitVisible("#checks .finding-block", chromedp.ByQuery))
		shot("story")
		if width == 360 {
			run("the story's findings", chromedp.ScrollIntoView("#checks", chromedp.ByQuery))
			shot("panel")
		}
		run("rule pages", chromedp.Navigate(base+"/desk/checks"), chromedp.WaitVisible(`a[href="/desk/checks/leaders"]`, chromedp.ByQuery))
		shot("rules")
		run("a rule list", chromedp.Navigate(base+"/desk/checks/leaders"), chromedp.WaitVisible("#rules", chromedp.ByQuery))
		shot("leaders")
	}
}

// TestSelfAuditPageInChromium: an editor starts the self-audit; the job
// runs it; the page shows the rectification list by unit and column, an
// item is accepted with a reason, and the XLSX link is there.
// Screenshots at 1280 and 360 px.
func TestSelfAuditPageInChromium(t *testing.T) {
	a, srv := deskServer(t)
	base := srv.URL
	for _, width := range []int64{1280, 360} {
		ctx := browser(t, width, 900, true)
		run := func(step string, actions ...chromedp.Action) {
			t.Helper()
			if err := chromedp.Run(ctx, actions...); err != nil {
				t.Fatalf("%d px, %s: %v", width, step, err)
			}
		}
		run("start", deskLogin(base, "editor"), chromedp.Navigate(base+"/desk/selfaudit"),
			chromedp.WaitVisible(`form[action="/desk/selfaudit"] button`, chromedp.ByQuery),
			clickFor(`form[action="/desk/selfaudit"] button`, "自查已开始"))
		if _, err := a.Jobs.RunDue(context.Background()); err != nil { // the job, as the server's runner would
			t.Fatal(err)
		}
		run("the list", chromedp.Navigate(base+"/desk/selfaudit"), waitText("#audit-progress", "上次检查了"),
			chromedp.WaitVisible(".audit-items tbody tr", chromedp.ByQuery))
		if width == 1280 {
			run("accept an item",
				chromedp.SendKeys(`.audit-items tr.item-open input[name=reason]`, "已向单位说明", chromedp.ByQuery),
				clickFor(`.audit-items tr.item-open button[value=accepted]`, "已保存"),
				waitText(".audit-items", "已向单位说明"))
		}
		screenshot(t, ctx, fmt.Sprintf("checks-selfaudit-%d", width))
	}
}
