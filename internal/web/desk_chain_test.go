package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/column"
	"newsdesk/internal/demo"
	"newsdesk/internal/demo/photo"
)

// TestDeskChainColumn, in the demo's 三审三校 column through the HTML
// desk: an editor's own draft offers no 发布 and a forged publish is
// refused with the reason; every step is taken by its holders; the lists
// and search name the step (待校对); a correction of the published story
// shows where it stands, waits in the holders' inboxes step by step, and
// replaces the live text only at 总编终审. A correction chain set on the
// column's form is the one the next correction takes.
func TestDeskChainColumn(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	cols, _ := a.Store.Columns(ctx)
	col, err := column.NewTree(cols).BySlug(demo.ChainColumn)
	if err != nil {
		t.Fatal(err)
	}
	editor, reviewer := signIn(t, srv, "editor"), signIn(t, srv, "reviewer")
	proof, chief := signIn(t, srv, "proofreader"), signIn(t, srv, "chief")
	res, d := editor.post("/desk/articles", url.Values{"csrf": {editor.csrf()}, "column": {itoa(col.ID)}, "title": {"院系链路稿件甲"},
		"summary": {"摘要"}, "body": {"<p>院系链路稿件的正文。</p>"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	id := articleID(res.Header.Get("Location"))
	story := fmt.Sprintf("/desk/articles/%d", id)
	_, d = editor.get(story)
	if d.Find("button.action-publish").Length() != 0 || d.Find("button.action-schedule").Length() != 0 || d.Find("button.action-submit").Length() != 1 {
		t.Fatalf("the editor's draft in the chain column offers: %q", d.Find(".actions").Text())
	}
	res, d = act(t, editor, id, "publish")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "逐级审核") {
		t.Fatalf("a forged publish: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	step := func(c *deskClient, action string, n int) {
		t.Helper()
		res, d := act(t, c, id, action, "step", itoa(int64(n)))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s at step %d: %d %q", action, n, res.StatusCode, d.Find(".error-box").Text())
		}
	}
	step(editor, "submit", 0)
	step(editor, "approve", 1) // the editor stands in for 单位初审
	step(editor, "approve", 2)
	// Lists and search name the step.
	_, d = editor.get("/desk/articles?sort=updated")
	if row := d.Find(fmt.Sprintf(`a[href="%s"]`, story)).First().Closest("tr"); !strings.Contains(row.Text(), "待校对") {
		t.Errorf("the story list names the state %q", row.Text())
	}
	_, d = editor.get("/desk/search?q=" + url.QueryEscape("院系链路稿件甲"))
	if !strings.Contains(d.Find("main").Text(), "待校对") {
		t.Errorf("desk search names the state %q", d.Find("main").Text())
	}
	step(proof, "approve", 3)
	step(chief, "publish", 4)

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
	if !strings.Contains(public(), "院系链路稿件甲") {
		t.Fatal("not published")
	}
	correct := func(title string) {
		t.Helper()
		res, d := editor.post(story, url.Values{"csrf": {editor.csrf()}, "version": {version(t, id)}, "column": {itoa(col.ID)},
			"title": {title}, "summary": {"摘要"}, "body": {"<p>院系链路稿件的正文。</p>"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("correct: %d %s", res.StatusCode, d.Find(".error-box").Text())
		}
	}
	inInbox := func(c *deskClient) bool {
		t.Helper()
		_, d := c.get("/desk/")
		return d.Find(fmt.Sprintf(`.inbox a[href="%s"]`, story)).Length() == 1
	}
	correct("院系链路稿件乙")
	_, d = editor.get(story)
	if got := d.Find(".revision-state").Text(); got != "第 1/4 步：单位初审" {
		t.Errorf("the correction's state: %q", got)
	}
	// The editor's story has no unit: 单位初审 falls to the editors.
	if !inInbox(editor) || inInbox(reviewer) || !strings.Contains(d.Find(".revision").Text(), "单位初审") {
		t.Fatal("the correction is not in the editors' inbox alone")
	}
	_, d = editor.get("/desk/")
	if d.Find(".inbox .correction-mark").Length() == 0 {
		t.Error("the inbox does not mark the correction")
	}
	// The editor approves from the correction's card, then again.
	_, d = editor.get(story)
	if d.Find(`.revision form[action$="/approve"] button.action-revise`).Length() != 1 {
		t.Fatalf("the editor's correction card: %q", d.Find(".revision").Text())
	}
	step(editor, "approve", 1)
	res, d = act(t, editor, id, "revision/approve")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor's step of the correction: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if !inInbox(proof) || !strings.Contains(public(), "院系链路稿件甲") {
		t.Fatal("at 校对: not in the proofreader's inbox, or the live text changed")
	}
	step(proof, "approve", 3)
	res, _ = act(t, editor, id, "revision/approve")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(public(), "院系链路稿件甲") {
		t.Fatalf("an editor took 总编终审 of the correction: %d", res.StatusCode)
	}
	step(chief, "approve", 4)
	if p := public(); !strings.Contains(p, "院系链路稿件乙") || !strings.Contains(p, "更新于") {
		t.Fatal("the last step did not replace the live text with 更新于")
	}

	// A correction chain of the column, set on its form.
	form := url.Values{"csrf": {editor.csrf()}, "name1": {"校对"}, "kind1": {"proofread"}, "users1": {itoa(userID(t, "proofreader"))},
		"name2": {"总编终审"}, "kind2": {"review"}, "holders2": {"chief"}}
	ccURL := fmt.Sprintf("/desk/review/columns/%d/correction", col.ID)
	if res, d := editor.post(ccURL, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the correction chain: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	t.Cleanup(func() { editor.post(ccURL, url.Values{"csrf": {editor.csrf()}, "inherit": {"1"}}) })
	_, d = editor.get("/desk/review")
	if row := d.Find(fmt.Sprintf(`a[href="%s"]`, ccURL)).Closest("tr"); !strings.Contains(row.Text(), "校对 → 总编终审") {
		t.Errorf("the chains page shows the correction chain as %q", row.Text())
	}
	correct("院系链路稿件丙")
	_, d = editor.get(story)
	if got := d.Find(".revision-state").Text(); got != "第 1/2 步：校对" {
		t.Errorf("with a correction chain the correction waits at %q", got)
	}
	step(proof, "approve", 1)
	step(chief, "approve", 2)
	if !strings.Contains(public(), "院系链路稿件丙") {
		t.Fatal("the correction chain's last step did not replace the live text")
	}
}

func userID(t *testing.T, name string) int64 {
	t.Helper()
	a, _ := deskServer(t)
	u, err := a.Store.UserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestDeskRecordShowsTheChecks: the printable review record (审核登记表)
// lists the content-check findings of the story and the acknowledgement
// that let its warn finding through, with who, when and why.
func TestDeskRecordShowsTheChecks(t *testing.T) {
	_, srv := deskServer(t)
	editor := signIn(t, srv, "editor")
	id := newStory(t, editor, "讲座提到演示提醒词")
	if res, d := act(t, editor, id, "checks/ack", "reason", "讲座原题，保留"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	_, d := editor.get(fmt.Sprintf("/desk/articles/%d/record", id))
	found := false
	d.Find(".record-checks tbody tr").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.Find("td")
		if strings.TrimSpace(cells.Eq(2).Text()) == "演示提醒词" {
			found = strings.TrimSpace(cells.Eq(0).Text()) == "需确认" && strings.TrimSpace(cells.Eq(4).Text()) == "已确认"
		}
	})
	if !found {
		t.Errorf("the record's findings: %q", d.Find(".record-checks").Text())
	}
	rows := d.Find(".record-acks tbody tr")
	cells := rows.First().Find("td")
	if rows.Length() != 1 || cells.Eq(0).Find("time").Text() == "" || !strings.Contains(cells.Eq(1).Text(), "李编辑") ||
		!strings.Contains(cells.Eq(2).Text(), "演示提醒词") || cells.Eq(3).Text() != "讲座原题，保留" {
		t.Errorf("the record's acknowledgements: %q", rows.Text())
	}
}

// TestApproverPageShowsThePictures: the outside approver's page (no desk
// session) shows the story's photo, not yet public, through the signed
// link: its file and variants load from the page's addresses while the
// link is good, and not without it, with an altered one, nor once the
// link is revoked.
func TestApproverPageShowsThePictures(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	contributor, editor := signIn(t, srv, "contributor"), signIn(t, srv, "editor")
	id := newStory(t, contributor, "请书记审定的带图稿件")
	jpeg, err := photo.JPEG(7, 640, 420)
	if err != nil {
		t.Fatal(err)
	}
	if res, d := upload(t, contributor, id, "合影.jpg", jpeg, "alt", "学员合影", "caption", "参训学员合影"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	if _, err := a.Jobs.RunDue(ctx); err != nil { // the variants
		t.Fatal(err)
	}
	if res, d := act(t, contributor, id, "submit"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	res, d := editor.post("/desk/articles/"+itoa(id)+"/approvers", url.Values{"csrf": {editor.csrf()}, "name": {"王书记"}, "email": {"wang@example.edu.cn"}, "hours": {"24"}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("send to an approver: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	link := strings.TrimSpace(d.Find("#approver-link").Text())
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(u.Path, "/approve/") {
		t.Fatalf("the link %q", link)
	}
	get := func(path string) (int, string, []byte) {
		t.Helper()
		res, err := http.Get(srv.URL + path) // no desk session
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), b
	}
	status, _, page := get(u.Path)
	if status != http.StatusOK {
		t.Fatalf("the approver's page: %d", status)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(string(page)))
	img := doc.Find("figure img").First()
	src, _ := img.Attr("src")
	var srcs []string
	if src != "" {
		srcs = append(srcs, src)
	}
	doc.Find("figure source, figure img").Each(func(_ int, s *goquery.Selection) {
		if set, ok := s.Attr("srcset"); ok {
			for _, c := range strings.Split(set, ",") {
				if f := strings.Fields(c); len(f) > 0 {
					srcs = append(srcs, f[0])
				}
			}
		}
	})
	if len(srcs) < 2 {
		t.Fatalf("the approver's page shows no picture with variants: %q", doc.Find("article").Text())
	}
	for _, s := range srcs {
		if !strings.HasPrefix(s, u.Path+"/media/") {
			t.Errorf("a picture address outside the link: %q", s)
			continue
		}
		if status, ctype, b := get(s); status != http.StatusOK || !strings.HasPrefix(ctype, "image/") || len(b) == 0 {
			t.Errorf("%s through the link: %d %s", s, status, ctype)
		}
		// Without the link, the file is not public yet.
		if status, _, _ := get(strings.TrimPrefix(s, u.Path)); status != http.StatusNotFound {
			t.Errorf("%s without the link: %d", strings.TrimPrefix(s, u.Path), status)
		}
	}
	altered := strings.Replace(src, u.Path, u.Path[:len(u.Path)-2]+"xx", 1)
	if status, _, _ := get(altered); status != http.StatusNotFound {
		t.Errorf("an altered link's picture: %d", status)
	}
	// Another story's picture is not the link's to show.
	other := newStory(t, contributor, "别的带图稿件")
	if res, _ := upload(t, contributor, other, "别的.jpg", jpeg, "alt", "别的图"); res.StatusCode != http.StatusSeeOther {
		t.Fatal("upload to the other story")
	}
	ob, _ := a.Store.Article(ctx, other)
	od, _ := goquery.NewDocumentFromReader(strings.NewReader(ob.Body))
	osrc, _ := od.Find("figure img").Attr("src")
	if status, _, _ := get(u.Path + osrc); osrc == "" || status != http.StatusNotFound {
		t.Errorf("another story's picture %q through the link: %d", osrc, status)
	}
	ls, _ := a.Store.ApproverLinks(ctx, id)
	if res, _ := editor.post(fmt.Sprintf("/desk/approvers/%d/revoke", ls[0].ID), url.Values{"csrf": {editor.csrf()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if status, _, _ := get(src); status != http.StatusNotFound {
		t.Errorf("the picture through a revoked link: %d", status)
	}
}
