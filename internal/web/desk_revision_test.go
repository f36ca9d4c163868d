package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDeskCorrectsAPublishedStoryThroughAWorkingCopy: an editor edits a
// published story in the desk; the public page keeps the published text
// while the desk shows the working copy with its note and a comparison;
// approving it puts the new text, 更新于 and the correction note on the
// public page.
func TestDeskCorrectsAPublishedStoryThroughAWorkingCopy(t *testing.T) {
	a, srv := deskServer(t)
	editor := signIn(t, srv, "editor")
	id := newStory(t, editor, "更正前的标题")
	if res, d := act(t, editor, id, "publish"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	public := func() string {
		t.Helper()
		res, err := http.Get(srv.URL + fmt.Sprintf("/articles/%d", id))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	if !strings.Contains(public(), "更正前的标题") {
		t.Fatal("not published")
	}
	cols, _ := a.Store.Columns(context.Background())
	_, d := editor.get(fmt.Sprintf("/desk/articles/%d", id))
	if d.Find(".revision-hint").Length() != 1 || d.Find("#correction").Length() != 1 {
		t.Fatal("the desk does not say that saving a published story makes a working copy")
	}
	res, d := editor.post(fmt.Sprintf("/desk/articles/%d", id), url.Values{"csrf": {editor.csrf()}, "version": {version(t, id)},
		"column": {itoa(cols[1].ID)}, "title": {"更正后的标题"}, "summary": {"摘要"}, "body": {"<p>正文第一段。</p>"}, "correction": {"更正：标题有误。"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	if p := public(); !strings.Contains(p, "更正前的标题") || strings.Contains(p, "更正后的标题") {
		t.Fatal("the public page changed before approval")
	}
	_, d = editor.get(fmt.Sprintf("/desk/articles/%d", id))
	if v, _ := d.Find("#title").Attr("value"); v != "更正后的标题" || d.Find(".revision").Length() != 1 || d.Find(`.revision a[href*="/diff"]`).Length() != 1 {
		t.Fatalf("the desk page: title %q, revision notice %d", v, d.Find(".revision").Length())
	}
	if !strings.Contains(d.Find("#correction").Text(), "更正：标题有误。") {
		t.Error("the correction note is not in the form")
	}
	diff, _ := d.Find(`.revision a[href*="/diff"]`).Attr("href")
	_, dd := editor.get(diff)
	if del, ins := dd.Find("del").Text(), dd.Find("ins").Text(); !strings.Contains(del, "前") || !strings.Contains(ins, "后") {
		t.Errorf("the comparison with the published text: deleted %q, inserted %q", del, ins)
	}
	res, d = act(t, editor, id, "revision/approve", "comment", "核对无误")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	p := public()
	if !strings.Contains(p, "更正后的标题") || !strings.Contains(p, "更新于") || !strings.Contains(p, "更正：标题有误。") {
		t.Fatal("after approval the public page lacks the new title, 更新于 or the note")
	}
	_, d = editor.get(fmt.Sprintf("/desk/articles/%d", id))
	if d.Find(".revision").Length() != 0 || !strings.Contains(d.Find(".history").Text(), "更新已发布稿件") {
		t.Fatalf("after approval the desk still shows a working copy, or the history lacks it: %q", d.Find(".history").Text())
	}
}
