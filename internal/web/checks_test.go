package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/text/encoding/simplifiedchinese"

	"newsdesk/internal/check"
)

// postFile sends the rule-list form with an imported file.
func (c *deskClient) postFile(path, field, name, content string, fields url.Values) *http.Response {
	c.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, name)
	io.WriteString(fw, content)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return res
}

// TestRuleListImportReportsBadLinesAndSavesOnlyWhenConfirmed: an editor
// imports a list with bad lines; each is shown with its reason and
// nothing is saved; confirmed, the rest is saved, in force and exported.
func TestRuleListImportReportsBadLinesAndSavesOnlyWhenConfirmed(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	editor, contributor := signIn(t, srv, "editor"), signIn(t, srv, "contributor")
	if res, _ := contributor.get("/desk/checks"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a contributor opened the rule lists: %d", res.StatusCode)
	}
	res, d := editor.get("/desk/checks")
	if res.StatusCode != http.StatusOK || d.Find(`a[href="/desk/checks/words"]`).Length() != 1 {
		t.Fatalf("rule lists page: %d", res.StatusCode)
	}
	lists, _ := a.Checks.Lists(ctx)
	before := lists[check.KindConfused]
	file := before.Body + "\n导入测试错词 → 导入测试正词\n缺少箭头的一行\n同样 → 同样\n"
	res = editor.postFile("/desk/checks/confused", "file", "易错词.txt", file, url.Values{"csrf": {editor.csrf()}})
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(body)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "缺少箭头的一行") || !strings.Contains(page, "缺少“→”或正确形式") ||
		!strings.Contains(page, "错误形式与正确形式相同") || !strings.Contains(page, `name="confirm"`) {
		t.Fatalf("import with bad lines: %d\n%.2000s", res.StatusCode, page)
	}
	if lists, _ := a.Checks.Lists(ctx); lists[check.KindConfused].Version != before.Version {
		t.Fatal("an unconfirmed import with bad lines was saved")
	}
	res = editor.postFile("/desk/checks/confused", "file", "易错词.txt", file, url.Values{"csrf": {editor.csrf()}, "confirm": {"1"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed import: %d", res.StatusCode)
	}
	fs, err := a.Checks.Text(ctx, editorActor(t, a), "这里有导入测试错词")
	if err != nil || len(fs) == 0 || fs[0].Suggestion != "导入测试正词" {
		t.Errorf("the imported rule is not in force: %+v %v", fs, err)
	}
	exp, err := editor.c.Get(srv.URL + "/desk/checks/confused/export")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(exp.Body)
	exp.Body.Close()
	if !strings.Contains(string(out), "导入测试错词 → 导入测试正词") || strings.Contains(string(out), "缺少箭头") ||
		!strings.Contains(exp.Header.Get("Content-Disposition"), fmt.Sprintf("v%d", before.Version+1)) {
		t.Errorf("export: %s\n%s", exp.Header.Get("Content-Disposition"), out)
	}
	// Put the list back as it was for the other tests of this site.
	if res, _ := editor.post("/desk/checks/confused", url.Values{"csrf": {editor.csrf()}, "body": {before.Body}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("restore: %d", res.StatusCode)
	}
}

// TestGBKWordListImportConfirmedAsABrowserWould: a sensitive-word list
// saved by a Chinese Windows (GBK) with bad lines is read as Chinese; the
// page names each bad line and keeps the imported text in the box; the
// editor ticks the confirmation and saves the form again as a browser
// sends it (the box's text, the file field empty): the good lines are
// saved and in force, the bad ones left out, the save audited.
func TestGBKWordListImportConfirmedAsABrowserWould(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	editor := signIn(t, srv, "editor")
	lists, _ := a.Checks.Lists(ctx)
	before := lists[check.KindWords]
	t.Cleanup(func() {
		if res, _ := editor.post("/desk/checks/words", url.Values{"csrf": {editor.csrf()}, "body": {before.Body}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("restore: %d", res.StatusCode)
		}
	})
	file := before.Body + "\n导入甲词 | 测试 | block\n导入乙词 | 测试 | 随便\n | 测试 | warn\n导入丙词 | 测试 | warn\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(file)
	if err != nil {
		t.Fatal(err)
	}
	res := editor.postFile("/desk/checks/words", "file", "敏感词.txt", gbk, url.Values{"csrf": {editor.csrf()}})
	d, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	bad := d.Find("#bad-lines tbody tr")
	if res.StatusCode != http.StatusUnprocessableEntity || bad.Length() != 2 || !strings.Contains(bad.Text(), "导入乙词") {
		t.Fatalf("GBK import with two bad lines: %d, %d rows %q", res.StatusCode, bad.Length(), bad.Text())
	}
	box := d.Find("textarea[name=body]").Text()
	if !strings.Contains(box, "导入甲词 | 测试 | block") || d.Find(`input[name=confirm]`).Length() != 1 {
		t.Fatalf("the box does not hold the imported list: %.300q", box)
	}
	if lists, _ := a.Checks.Lists(ctx); lists[check.KindWords].Version != before.Version {
		t.Fatal("saved before the editor confirmed")
	}
	// Confirmed: the form again, as the browser sends it.
	res = editor.postFile("/desk/checks/words", "file", "", "", url.Values{"csrf": {editor.csrf()}, "body": {box}, "confirm": {"1"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed: %d", res.StatusCode)
	}
	lists, _ = a.Checks.Lists(ctx)
	saved := lists[check.KindWords]
	if saved.Version != before.Version+1 || strings.Contains(saved.Body, "导入乙词") || !strings.Contains(saved.Body, "导入丙词 | 测试 | warn") {
		t.Fatalf("saved list v%d:\n%s", saved.Version, saved.Body)
	}
	fs, err := a.Checks.Text(ctx, editorActor(t, a), "导入甲词和导入丙词")
	if err != nil || len(fs) != 2 || fs[0].Level != check.Block || fs[1].Level != check.Warn {
		t.Errorf("the imported words in force: %+v %v", fs, err)
	}
	if entries, _, _ := a.Store.Audit(ctx, 1, 0); entries[0].Action != "check_rules" || !strings.Contains(entries[0].Detail, "2 lines left out") {
		t.Errorf("audit: %+v", entries[0])
	}
}

// TestStoryPageShowsFindingsAndRecordsTheAcknowledgement: the story page
// lists its findings by level; a warn finding acknowledged with a reason
// shows in the story's history, and the story can then be submitted.
func TestStoryPageShowsFindingsAndRecordsTheAcknowledgement(t *testing.T) {
	_, srv := deskServer(t)
	contributor := signIn(t, srv, "contributor")
	id := newStory(t, contributor, "讲座提到演示提醒词")
	_, d := contributor.get(fmt.Sprintf("/desk/articles/%d", id))
	if d.Find("#checks .finding-warn mark").First().Text() != "演示提醒词" {
		t.Fatalf("findings panel: %s", d.Find("#checks").Text())
	}
	if res, d := act(t, contributor, id, "submit"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find("[role=alert]").Text(), "演示提醒词") {
		t.Fatalf("submit with an unacknowledged warning: %d %q", res.StatusCode, d.Find("[role=alert]").Text())
	}
	res, _ := contributor.post(fmt.Sprintf("/desk/articles/%d/checks/ack", id), url.Values{"csrf": {contributor.csrf()}, "version": {version(t, id)}, "reason": {"讲座题目原文"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d", res.StatusCode)
	}
	if res, _ := act(t, contributor, id, "submit"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit after the acknowledgement: %d", res.StatusCode)
	}
	_, d = contributor.get(fmt.Sprintf("/desk/articles/%d", id))
	if h := d.Find(".history li.ack").Text(); !strings.Contains(h, "讲座题目原文") || !strings.Contains(h, "陈通讯") || !strings.Contains(h, "演示提醒词") {
		t.Errorf("history: %q", d.Find(".history").Text())
	}
}
