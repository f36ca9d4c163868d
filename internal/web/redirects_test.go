package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// TestOldAddressRedirectsAddedEditedExportedAndDeleted: an editor adds a
// redirect in the desk, the old address (query and all) answers 301 to
// the story, an edit sends it elsewhere, the export lists it as CSV and
// as an nginx map, a contributor may not touch them, and once deleted the
// old address is a 404 again; addresses the site has never redirect.
func TestOldAddressRedirectsAddedEditedExportedAndDeleted(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	list, _, err := a.Store.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no published story: %v", err)
	}
	story := list[0]
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	status := func(path string) (int, string) {
		t.Helper()
		res, err := noFollow.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header.Get("Location")
	}
	old := "/info/1012/3456.htm"
	if code, _ := status(old); code != http.StatusNotFound {
		t.Fatalf("an unknown old address: %d, want 404", code)
	}

	c := signIn(t, srv, "editor")
	res, _ := c.post("/desk/redirects", url.Values{"csrf": {c.csrf()}, "path": {"http://news.example.edu.cn" + old}, "target": {"/articles/" + itoa(story.ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add redirect: %d", res.StatusCode)
	}
	for _, path := range []string{old, old + "?from=timeline"} {
		if code, loc := status(path); code != http.StatusMovedPermanently || loc != "/articles/"+itoa(story.ID) {
			t.Errorf("GET %s: %d → %q, want 301 to the story", path, code, loc)
		}
	}
	if code, _ := status("/articles/" + itoa(story.ID)); code != http.StatusOK {
		t.Errorf("the story itself: %d", code)
	}
	res, d := c.post("/desk/redirects", url.Values{"csrf": {c.csrf()}, "path": {old}, "target": {"/"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error, [role=alert]").Text()+d.Text(), old) {
		t.Errorf("a second redirect of one path: %d", res.StatusCode)
	}
	rd, err := a.Store.RedirectByPath(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	res, _ = c.post("/desk/redirects", url.Values{"csrf": {c.csrf()}, "id": {itoa(rd.ID)}, "path": {old}, "target": {"https://www.example.edu.cn/"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit redirect: %d", res.StatusCode)
	}
	if code, loc := status(old); code != http.StatusMovedPermanently || loc != "https://www.example.edu.cn/" {
		t.Errorf("edited redirect: %d → %q", code, loc)
	}
	for format, want := range map[string]string{"csv": old + ",https://www.example.edu.cn/", "nginx": `"` + old + `" "https://www.example.edu.cn/";`} {
		res, err := c.c.Get(srv.URL + "/desk/redirects/export?format=" + format)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("export %s: %d\n%s", format, res.StatusCode, body)
		}
	}
	contributor := signIn(t, srv, "contributor")
	if res, _ := contributor.post("/desk/redirects/"+itoa(rd.ID)+"/delete", url.Values{"csrf": {contributor.csrf()}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a contributor deleting a redirect: %d, want 403", res.StatusCode)
	}
	if res, _ := c.post("/desk/redirects/"+itoa(rd.ID)+"/delete", url.Values{"csrf": {c.csrf()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if code, _ := status(old); code != http.StatusNotFound {
		t.Errorf("a deleted redirect: %d, want 404", code)
	}
	entries, _, err := a.Store.AuditSearch(ctx, store.AuditQuery{Target: "redirect " + itoa(rd.ID), Limit: 10})
	if err != nil || len(entries) != 3 {
		t.Errorf("audit of the redirect: %d entries (%v), want create, update, delete", len(entries), err)
	}
}
