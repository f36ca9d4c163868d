package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"newsdesk/internal/demo"
	"newsdesk/internal/demo/photo"
)

// deskLogin signs in through the sign-in form, as a person would.
func deskLogin(base, username string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(base + "/desk/login"),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.SendKeys("#username", username, chromedp.ByQuery),
		chromedp.SendKeys("#password", demo.DemoPassword, chromedp.ByQuery),
		chromedp.Submit("#password", chromedp.ByQuery),
		chromedp.WaitVisible("form.inline button", chromedp.ByQuery), // only signed-in pages have it
	}
}

// acceptLeaving accepts every dialog the tab opens — the editor's warning
// on leaving a story with unsaved changes among them — and counts those
// warnings (beforeunload dialogs).
func acceptLeaving(ctx context.Context) *atomic.Int32 {
	var n atomic.Int32
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			if e.Type == page.DialogTypeBeforeunload {
				n.Add(1)
			}
			go func() { _ = chromedp.Run(ctx, page.HandleJavaScriptDialog(true)) }() // the tab may be gone by then
		}
	})
	return &n
}

// clickFor clicks sel and waits for the next page's message, which must
// say want (the old page is marked, so its message does not count).
func clickFor(sel, want string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var got string
		err := chromedp.Run(ctx,
			chromedp.Evaluate(`document.body.dataset.old = "1"`, nil),
			chromedp.Click(sel, chromedp.ByQuery),
			chromedp.WaitVisible(`body:not([data-old]) .flash`, chromedp.ByQuery),
			chromedp.Text(".flash", &got, chromedp.ByQuery),
		)
		if err == nil && !strings.Contains(got, want) {
			err = fmt.Errorf("after %s the page says %q, want %q", sel, got, want)
		}
		return err
	})
}

// deskLogout signs out and waits for the sign-in form itself: the users
// page has a #username field too, and a navigation started before the
// sign-out's own had finished would abort it.
func deskLogout() chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Click("form.inline button", chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/desk/login"] #username`, chromedp.ByQuery),
	}
}

// TestDeskWorkflowInChromium walks a story from the public 我要投稿 link to
// the public site in a real browser: a contributor writes and submits it,
// the unit reviewer returns it with a comment, the contributor revises and
// resubmits, the reviewer approves, an editor edits the title and publishes.
// Screenshots of each step are kept.
func TestDeskWorkflowInChromium(t *testing.T) {
	_, srv := deskServer(t)
	ctx := browser(t, 1280, 900, true)
	base := srv.URL
	var url, text string
	shot := func(name string) { screenshot(t, ctx, "desk-"+name) }
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}

	run("from 我要投稿 to sign-in",
		chromedp.Navigate(base+"/submit"),
		chromedp.Click(`a[href="/desk/"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
	)
	shot("1-login")
	run("contributor signs in", deskLogin(base, "contributor"))
	shot("2-dashboard")
	run("write a story",
		chromedp.Click(`a[href="/desk/articles/new"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#title", chromedp.ByQuery),
		chromedp.SetValue("#column", "2", chromedp.ByQuery),
		chromedp.SendKeys("#title", "外国语学院举办研究生学术论坛", chromedp.ByQuery),
		chromedp.SendKeys("#summary", "11月20日,外国语学院第五届研究生学术论坛在A区举行。", chromedp.ByQuery),
		chromedp.WaitVisible(".editor", chromedp.ByQuery),
		pasteHTML(wordHTML),
		chromedp.SendKeys("#writers", "陈通讯", chromedp.ByQuery),
	)
	// A photo without alt text is refused with a message; with it, the
	// figure goes in where the cursor is (after the pasted text).
	photo, err := photo.JPEG(3, 800, 533)
	if err != nil {
		t.Fatal(err)
	}
	photoPath := filepath.Join(t.TempDir(), "论坛合影.jpg")
	if err := os.WriteFile(photoPath, photo, 0o644); err != nil {
		t.Fatal(err)
	}
	run("insert a photo",
		chromedp.SetUploadFiles("input[name=photo-file]", []string{photoPath}, chromedp.ByQuery),
		chromedp.Click(".editor-photo button", chromedp.ByQuery),
		waitText(".editor-photo [role=status]", "替代文字"),
		chromedp.SendKeys("input[name=photo-caption]", "论坛现场", chromedp.ByQuery),
		chromedp.SendKeys("input[name=photo-alt]", "研究生在报告厅交流", chromedp.ByQuery),
		chromedp.Click(".editor-photo button", chromedp.ByQuery),
		waitText(".editor-photo [role=status]", "图片已插入"),
		chromedp.WaitVisible(".editor > figure > img", chromedp.ByQuery),
	)
	shot("3-write")
	run("save and submit",
		clickFor(`form.card button[type=submit]`, "已保存"),
		chromedp.Location(&url),
		clickFor("button.action-submit", "已提交审核"),
	)
	articlePath := url[strings.Index(url, "/desk/articles/"):]
	if i := strings.Index(articlePath, "?"); i > 0 {
		articlePath = articlePath[:i]
	}
	shot("4-submitted")

	run("reviewer returns it with a comment", deskLogout(), deskLogin(base, "reviewer"),
		chromedp.Navigate(base+articlePath),
		chromedp.WaitVisible("#comment-return", chromedp.ByQuery),
		chromedp.SendKeys("#comment-return", "请补充论坛的主办单位。", chromedp.ByQuery),
		clickFor("button.action-return", "已退回修改"),
	)
	shot("5-returned")

	run("contributor sees the comment, revises and resubmits", deskLogout(), deskLogin(base, "contributor"),
		chromedp.Navigate(base+articlePath),
		chromedp.WaitVisible(".history", chromedp.ByQuery),
		chromedp.Text(".history", &text, chromedp.ByQuery),
	)
	if !strings.Contains(text, "请补充论坛的主办单位。") {
		t.Errorf("the contributor does not see the comment: %q", text)
	}
	run("revise",
		chromedp.Click(".editor h2", chromedp.ByQuery),
		chromedp.KeyEvent("（外国语学院主办）"),
		// Autosave (every 30 s; triggered here) stores the text and takes
		// the new version, so the explicit save after it is no conflict.
		chromedp.Evaluate(`document.querySelector("form.card").dispatchEvent(new Event("autosave"))`, nil),
		waitText(".autosave", "已自动保存"),
		clickFor(`form.card button[type=submit]`, "已保存"),
		clickFor("button.action-submit", "已提交审核"),
	)
	shot("6-resubmitted")

	run("reviewer approves", deskLogout(), deskLogin(base, "reviewer"),
		chromedp.Navigate(base+articlePath),
		chromedp.WaitVisible("button.action-approve", chromedp.ByQuery),
		clickFor("button.action-approve", "已审核通过"),
	)
	run("editor edits the title and publishes", deskLogout(), deskLogin(base, "editor"),
		chromedp.Navigate(base+articlePath),
		chromedp.WaitVisible("#title", chromedp.ByQuery),
		chromedp.SetValue("#title", "外国语学院举办第五届研究生学术论坛", chromedp.ByQuery),
		chromedp.SetValue("#editor", "李编辑", chromedp.ByQuery),
		clickFor(`form.card button[type=submit]`, "已保存"),
	)
	shot("7-editor")
	when := time.Now().Add(72 * time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
	run("schedule, then publish at once, and recommend on the home page",
		chromedp.SetValue("#when", when, chromedp.ByQuery),
		clickFor("button.action-schedule", "已设定定时发布"),
		clickFor("button.action-publish", "已发布"),
		chromedp.SetValue("#pos-recommended", "0", chromedp.ByQuery),
		clickFor("button.slot-recommended", "推荐位已更新"),
	)
	shot("8-slots")
	run("the home page recommends it",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(".recommended", chromedp.ByQuery),
		chromedp.Text(".recommended li a", &text, chromedp.ByQuery),
	)
	if strings.TrimSpace(text) != "外国语学院举办第五届研究生学术论坛" {
		t.Errorf("first recommended on the home page: %q", text)
	}
	if feed := body(t, mustGet(t, base+"/rss.xml")); !strings.Contains(feed, "外国语学院举办第五届研究生学术论坛") {
		t.Error("the published story is not in the site feed")
	}
	run("open it from the desk",
		chromedp.Navigate(base+articlePath),
		chromedp.WaitVisible(".meta a", chromedp.ByQuery),
		chromedp.Click(`.meta a`, chromedp.ByQuery), // 在网站上查看
		chromedp.WaitVisible("h1", chromedp.ByQuery),
		chromedp.Text("h1", &text, chromedp.ByQuery),
	)
	if strings.TrimSpace(text) != "外国语学院举办第五届研究生学术论坛" {
		t.Errorf("public page title %q", text)
	}
	// What was pasted from Word kept its structure and lost Office's styling.
	var body string
	run("read the body", chromedp.InnerHTML(".story .body", &body, chromedp.ByQuery))
	// Bold is <strong> from the bundled editor, <b> from the fallback.
	body = strings.ReplaceAll(strings.ReplaceAll(body, "<strong>", "<b>"), "</strong>", "</b>")
	for _, want := range []string{"<h2>论坛概况（外国语学院主办）</h2>", "<b>来自6个学院</b>", "<li>语言学</li>", "<td>外国语学院</td>", `alt="研究生在报告厅交流"`, "</table><figure><img", "<figcaption>论坛现场</figcaption></figure>"} {
		if !strings.Contains(body, want) {
			t.Errorf("published body lacks %s:\n%s", want, body)
		}
	}
	for _, bad := range []string{"Mso", "mso-", "style=", "o:p", "StartFragment"} {
		if strings.Contains(body, bad) {
			t.Errorf("published body keeps Word's %q:\n%s", bad, body)
		}
	}
	shot("9-published")
}

// TestDeskFitsPhone checks the desk pages at 360 px.
func TestDeskFitsPhone(t *testing.T) {
	_, srv := deskServer(t)
	ctx := browser(t, 360, 800, true)
	if err := chromedp.Run(ctx, deskLogin(srv.URL, "admin")); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"dashboard": "/desk/", "write": "/desk/articles/new", "users": "/desk/users", "site": "/desk/site", "search": "/desk/search?q=" + url.QueryEscape("学院")} {
		// The phone's viewport grows to fit what overflows, so the page is
		// measured against the screen's 360 px, not innerWidth.
		var scroll int64
		err := chromedp.Run(ctx,
			chromedp.Navigate(srv.URL+path),
			chromedp.WaitVisible(".desk-main", chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
		)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if scroll > 360 {
			t.Errorf("%s at 360 px scrolls sideways: content %d px wide", path, scroll)
		}
		screenshot(t, ctx, fmt.Sprintf("desk-%s-360", name))
	}
}

// wordHTML is what Word puts on the clipboard for a heading, a paragraph
// with bold, a list and a table.
const wordHTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8"><style>p.MsoNormal{margin:0cm;font-family:等线}</style></head>
<body lang="ZH-CN"><!--StartFragment--><h2 class="MsoHeading2" style="mso-outline-level:2">论坛概况</h2>
<p class="MsoNormal" style="mso-line-height-alt:150%"><b>来自6个学院</b>的80余名研究生参加论坛。<o:p></o:p></p>
<ul><li class="MsoListParagraph" style="mso-list:l0 level1 lfo1">语言学</li><li class="MsoListParagraph">翻译学</li></ul>
<table class="MsoTableGrid" border="1" style="border-collapse:collapse"><tr><td width="100" style="border:solid windowtext 1.0pt">学院</td><td>人数</td></tr>
<tr><td>外国语学院</td><td>32</td></tr></table><!--EndFragment--></body></html>`

// pasteHTML pastes html into the editor the way the browser delivers a
// paste from Word: a paste event carrying text/html.
func pasteHTML(html string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`(() => {
		const box = document.querySelector(".editor");
		box.focus();
		const dt = new DataTransfer();
		dt.setData("text/html", %q);
		dt.setData("text/plain", "论坛概况");
		box.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
	})()`, html), nil)
}

func mustGet(t *testing.T, url string) *http.Response {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// waitText waits up to 10 s for the text of sel to contain want.
func waitText(sel, want string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var got string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if err := chromedp.Run(ctx, chromedp.Text(sel, &got, chromedp.ByQuery)); err != nil {
				return err
			}
			if strings.Contains(got, want) {
				return nil
			}
		}
		return fmt.Errorf("%s says %q, want %q", sel, got, want)
	})
}
