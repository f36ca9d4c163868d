package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestEditorsWriteAddAndRemovePages: the site page lists the editor pages
// in a table with their addresses; an editor adds 联系我们 at
// /pages/contact, writes it in the page editor (the story editor's
// textarea, sanitised on save) and readers see it; a taken or bad address
// is shown next to its field; removing needs the confirmation, and the
// help page cannot be removed; each change is audited.
func TestEditorsWriteAddAndRemovePages(t *testing.T) {
	a, srv := deskServer(t)
	editor := signIn(t, srv, "editor")
	post := func(path string, form url.Values) (*http.Response, string, string) {
		t.Helper()
		form.Set("csrf", editor.csrf())
		res, d := editor.post(path, form)
		return res, d.Find(".error-box").Text(), d.Find(".field-error").Text()
	}
	_, d := editor.get("/desk/site")
	if d.Find(`#pages table thead th`).Length() != 4 || d.Find(`#pages a[href="/desk/pages/help"]`).Length() != 1 {
		t.Fatalf("the site page does not list the pages in a table with headers")
	}
	res, _, _ := post("/desk/pages", url.Values{"slug": {"contact"}, "title": {"联系我们"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk/pages/contact?flash=desk.page_added" {
		t.Fatalf("add a page: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, _, field := post("/desk/pages", url.Values{"slug": {"contact"}, "title": {"又一个"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(field, "已有页面") {
		t.Errorf("a taken address: %d, next to the field %q", res.StatusCode, field)
	}
	res, _, field = post("/desk/pages", url.Values{"slug": {"关于"}, "title": {"关于"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(field, "只能用小写字母") {
		t.Errorf("a bad address: %d, next to the field %q", res.StatusCode, field)
	}
	res, d = editor.get("/desk/pages/contact")
	if res.StatusCode != http.StatusOK || d.Find(`textarea#body[data-wysiwyg]`).Length() != 1 || d.Find(`textarea#body[data-bold]`).Length() != 1 {
		t.Fatalf("the page editor: %d, no rich-text editor textarea", res.StatusCode)
	}
	text := `<h2>联系方式</h2><p>电话：<strong>0531-1234567</strong></p><ul><li>地址：东岳大学行政楼</li></ul><p onclick="x()">邮箱</p><script>alert(1)</script>`
	res, _, _ = post("/desk/pages/contact", url.Values{"title": {"联系我们"}, "body": {text}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the page: %d", res.StatusCode)
	}
	res, _, field = post("/desk/pages/contact", url.Values{"title": {"  "}, "body": {"<p>改了</p>"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(field, "页面需要地址和标题") {
		t.Errorf("an empty title: %d, next to the field %q", res.StatusCode, field)
	}
	pub, err := http.Get(srv.URL + "/pages/contact")
	if err != nil {
		t.Fatal(err)
	}
	// Other tests share the site (a column named with markup shows, escaped,
	// in the navigation), so look for the live markup only.
	html := body(t, pub)
	if pub.StatusCode != http.StatusOK || !strings.Contains(html, "<h2>联系方式</h2>") || !strings.Contains(html, "<strong>0531-1234567</strong>") || strings.Contains(html, "<script>alert(1)") || strings.Contains(html, "onclick=") {
		t.Errorf("the public page: %d\n%s", pub.StatusCode, html)
	}
	if res, msg, _ := post("/desk/pages/help/delete", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, "不能删除") {
		t.Errorf("removing the help page: %d %q", res.StatusCode, msg)
	}
	if res, _, field := post("/desk/pages/contact/delete", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(field, "请先勾选确认") {
		t.Errorf("removing without the confirmation: %d %q", res.StatusCode, field)
	}
	if res, _, _ := post("/desk/pages/contact/delete", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	if pub, _ := http.Get(srv.URL + "/pages/contact"); pub.StatusCode != http.StatusNotFound {
		t.Errorf("a removed page still answers %d", pub.StatusCode)
	}
	entries, _, _ := a.Store.Audit(context.Background(), 10, 0)
	var actions []string
	for _, e := range entries {
		if e.Target == "page contact" {
			actions = append(actions, e.Action)
		}
	}
	if strings.Join(actions, " ") != "page_delete page page_add" {
		t.Errorf("audit of the page: %v", actions)
	}
}
