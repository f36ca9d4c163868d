package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/app"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// publishedStories are n published stories of the desk site, newest first.
func publishedStories(t *testing.T, a *app.App, n int) []model.Article {
	t.Helper()
	as, _, err := a.Store.Articles(context.Background(), store.ArticleQuery{Status: model.StatusPublished, PublishedBy: time.Now(), Limit: n})
	if err != nil || len(as) < n {
		t.Fatalf("published stories: %d, %v", len(as), err)
	}
	return as
}

// setSlot makes the focus slot hold exactly these stories, as an editor
// on the board would.
func setSlot(t *testing.T, a *app.App, slot string, as ...model.Article) {
	t.Helper()
	ctx := context.Background()
	v, err := a.Store.SlotVersion(ctx, slot)
	if err != nil {
		t.Fatal(err)
	}
	var order []model.Placement
	for _, x := range as {
		order = append(order, model.Placement{ArticleID: x.ID})
	}
	if _, err := a.Slots.Arrange(ctx, model.SystemActor("test"), slot, v, order); err != nil {
		t.Fatal(err)
	}
}

// boardOrder is the titles of a slot's cards on a board page.
func boardOrder(d *goquery.Document, slot string) []string {
	var out []string
	d.Find(fmt.Sprintf(`#slot-%s .slot-card`, slot)).Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("data-title", ""))
	})
	return out
}

// homeFocus is the titles of the home page's focus carousel, in order.
func homeFocus(t *testing.T, base string) []string {
	t.Helper()
	res, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	d, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	d.Find(".carousel .slide h2").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return out
}

func titles(as ...model.Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Title)
	}
	return out
}

// TestSlotBoardWorksWithoutScripts drives the slot board as a browser
// without scripts does, by posting its forms: a story found by the search
// box goes to the end of 焦点; the down button moves a card; typed order
// fields reorder; the remove button takes a card out; each change shows
// on the home page in that order. A board shown before another editor's
// save is refused with the conflict message and changes nothing; a
// reviewer cannot open it; bad input answers in the user's language.
func TestSlotBoardWorksWithoutScripts(t *testing.T) {
	a, srv := deskServer(t)
	s := publishedStories(t, a, 4)
	setSlot(t, a, model.SlotFocus, s[0], s[1], s[2])
	editor := signIn(t, srv, "editor")
	board := func() *goquery.Document {
		t.Helper()
		res, d := editor.get("/desk/slots")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("board: %d", res.StatusCode)
		}
		return d
	}
	form := func(d *goquery.Document, slot string) url.Values {
		f := url.Values{}
		d.Find(fmt.Sprintf(`#slot-%s form.slot-form input`, slot)).Each(func(_ int, s *goquery.Selection) {
			if name, ok := s.Attr("name"); ok {
				f.Add(name, s.AttrOr("value", ""))
			}
		})
		return f
	}
	d := board()
	if got, want := boardOrder(d, model.SlotFocus), titles(s[0], s[1], s[2]); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("board shows %v, want %v", got, want)
	}
	if d.Find(`#slot-focus .slot-card`).First().Find("img.slot-pic, .slot-nopic").Length() != 1 {
		t.Errorf("a card has neither a picture nor the no-picture mark")
	}

	// The search finds s[3] by a word of its title; its add button posts.
	res, d := editor.get("/desk/slots?q=" + url.QueryEscape(s[3].Title))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("search: %d", res.StatusCode)
	}
	add := d.Find(fmt.Sprintf(`.slot-hits input[name=article][value="%d"]`, s[3].ID)).Closest("form")
	if add.Length() == 0 {
		t.Fatalf("the search did not offer %q:\n%s", s[3].Title, d.Find(".slot-search").Text())
	}
	af := url.Values{}
	add.First().Find("input").Each(func(_ int, x *goquery.Selection) { af.Set(x.AttrOr("name", ""), x.AttrOr("value", "")) })
	if res, d := editor.post(add.First().AttrOr("action", ""), af); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add from the search: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	want := titles(s[0], s[1], s[2], s[3])
	if got := homeFocus(t, srv.URL); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("home page focus after adding = %v, want %v", got, want)
	}

	// Down on the first card: s[1], s[0], s[2], s[3].
	d = board()
	stale := form(d, model.SlotFocus)
	f := form(d, model.SlotFocus)
	f.Set("down", itoa(s[0].ID))
	if res, d := editor.post("/desk/slots/focus", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("down: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	want = titles(s[1], s[0], s[2], s[3])
	if got := homeFocus(t, srv.URL); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("home page focus after moving down = %v, want %v", got, want)
	}

	// The board shown before that save cannot save over it.
	stale.Set("remove", itoa(s[2].ID))
	res, d = editor.post("/desk/slots/focus", stale)
	if res.StatusCode != http.StatusConflict || !strings.Contains(d.Find(".error-box").Text(), "有人在你之后改动了这个推荐位") {
		t.Fatalf("a stale board's save: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if got := boardOrder(d, model.SlotFocus); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("after the conflict the board shows %v, want the latest %v", got, want)
	}

	// Typed order fields (no scripts): s[3] first; a last day for s[2].
	d = board()
	f = form(d, model.SlotFocus)
	f.Set("position-"+itoa(s[3].ID), "0")
	f.Set("position-"+itoa(s[1].ID), "1")
	f.Set("position-"+itoa(s[0].ID), "2")
	f.Set("position-"+itoa(s[2].ID), "3")
	f.Set("expires-"+itoa(s[2].ID), "2099-12-31")
	if res, d := editor.post("/desk/slots/focus", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("typed order: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	want = titles(s[3], s[1], s[0], s[2])
	if got := homeFocus(t, srv.URL); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("home page focus after typing the order = %v, want %v", got, want)
	}
	d = board()
	if v := d.Find(`input[name="expires-`+itoa(s[2].ID)+`"]`).AttrOr("value", ""); v != "2099-12-31" {
		t.Errorf("the last day shows as %q", v)
	}

	// Remove s[1].
	f = form(d, model.SlotFocus)
	f.Set("remove", itoa(s[1].ID))
	if res, _ := editor.post("/desk/slots/focus", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	want = titles(s[3], s[0], s[2])
	if got := homeFocus(t, srv.URL); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("home page focus after removing = %v, want %v", got, want)
	}

	// Bad input changes nothing and says why.
	d = board()
	f = form(d, model.SlotFocus)
	f.Set("position-"+itoa(s[0].ID), "-3")
	res, d = editor.post("/desk/slots/focus", f)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "顺序须为不小于 0 的整数") {
		t.Errorf("a negative order: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if got := homeFocus(t, srv.URL); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("a refused save changed the home page: %v", got)
	}
	entries, _, err := a.Store.Audit(context.Background(), 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	arranged := 0
	for _, e := range entries {
		if e.Action == "slot_arrange" && e.Target == "slot focus" {
			arranged++
		}
	}
	if arranged < 3 {
		t.Errorf("the board's saves left %d slot_arrange audit entries, want 3 or more", arranged)
	}
	if res, _ := signIn(t, srv, "reviewer").get("/desk/slots"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer opened the slot board: %d", res.StatusCode)
	}
}
