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
