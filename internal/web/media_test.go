package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/demo/photo"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
)

// TestArticlePicturesFollowTheLibrary: a published story's photo is the
// original until its variants exist, then a responsive picture; the
// caption, alt text and credit edited once in the library show on the
// page at once; the variants are served for ever-caching.
func TestArticlePicturesFollowTheLibrary(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	editor := signIn(t, srv, "editor")
	pub := newDeskClient(t, srv)
	id := newStory(t, editor, "图库测试：校运会开幕")
	photo, err := photo.JPEG(11, 2000, 1300)
	if err != nil {
		t.Fatal(err)
	}
	for i, caption := range []string{"开幕式现场", "运动员入场"} {
		if res, d := upload(t, editor, id, fmt.Sprintf("运动会%d.jpg", i), photo, "caption", caption, "alt", caption+"的照片", "credit", "曹文玥"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", res.StatusCode, d.Find(".error-box").Text())
		}
	}
	if res, d := act(t, editor, id, "publish"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	path := fmt.Sprintf("/articles/%d", id)
	_, d := pub.get(path)
	imgs := d.Find(".body figure img")
	if imgs.Length() != 2 || d.Find(".body picture").Length() != 0 {
		t.Fatalf("before variants: %d images, %d pictures", imgs.Length(), d.Find(".body picture").Length())
	}
	if src, _ := imgs.First().Attr("src"); !strings.HasPrefix(src, "/media/") {
		t.Fatalf("before variants the original is shown, got %q", src)
	}

	if _, err := a.Jobs.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	_, d = pub.get(path)
	figs := d.Find(".body figure")
	if figs.Length() != 2 {
		t.Fatalf("%d figures", figs.Length())
	}
	first, second := figs.Eq(0), figs.Eq(1)
	webp, _ := first.Find(`picture source[type="image/webp"]`).Attr("srcset")
	for _, w := range []string{"480w", "960w", "1600w"} {
		if !strings.Contains(webp, w) {
			t.Errorf("WebP srcset %q lacks %s", webp, w)
		}
	}
	img := first.Find("picture img")
	srcset, _ := img.Attr("srcset")
	width, _ := img.Attr("width")
	height, _ := img.Attr("height")
	sizes, _ := img.Attr("sizes")
	if !strings.Contains(srcset, ".jpg 480w") || !strings.Contains(srcset, " 2000w") || width != "2000" || height != "1300" || sizes == "" {
		t.Errorf("img srcset %q sizes %q, %s×%s", srcset, sizes, width, height)
	}
	if _, lazy := img.Attr("loading"); lazy {
		t.Error("the first picture loads lazily; it is near the top")
	}
	if l, _ := second.Find("img").Attr("loading"); l != "lazy" {
		t.Error("the second picture does not load lazily")
	}
	if got := first.Find("figcaption").Text(); got != "开幕式现场 摄影：曹文玥" {
		t.Errorf("caption %q", got)
	}

	// A variant: its type, cached for a minute while the story is
	// published (so a withdrawal takes effect), never sniffed.
	variant := strings.Fields(webp)[0]
	res, err := http.Get(srv.URL + variant)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/webp" || res.Header.Get("Cache-Control") != "public, max-age=60" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("variant %s: %d %v", variant, res.StatusCode, res.Header)
	}
	if res, _ := http.Get(srv.URL + "/media/v/ab/nothing-1-480.webp"); res.StatusCode != 404 {
		t.Errorf("unknown variant: %d", res.StatusCode)
	}

	// Described once in the library, shown everywhere at once.
	art, _ := a.Store.Article(ctx, id)
	mediaID := art.LeadMediaID
	res, d = editor.post(fmt.Sprintf("/desk/library/%d", mediaID), url.Values{"csrf": {editor.csrf()}, "caption": {"开幕式上的方阵"}, "alt": {"学生方阵走过主席台"}, "credit": {"刘孟秋"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("describe: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	_, d = pub.get(path)
	first = d.Find(".body figure").First()
	if alt, _ := first.Find("img").Attr("alt"); alt != "学生方阵走过主席台" || first.Find("figcaption").Text() != "开幕式上的方阵 摄影：刘孟秋" {
		t.Errorf("after the library edit: alt %q, caption %q", alt, first.Find("figcaption").Text())
	}
	// Emptying the alt text is refused and changes nothing.
	res, d = editor.post(fmt.Sprintf("/desk/library/%d", mediaID), url.Values{"csrf": {editor.csrf()}, "caption": {"x"}, "alt": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "替代文字") {
		t.Errorf("empty alt: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if m, _ := a.Store.Media(ctx, mediaID); m.Caption != "开幕式上的方阵" {
		t.Errorf("a refused edit changed the caption to %q", m.Caption)
	}

	// The library page lists where it is used; in use, it cannot be deleted.
	_, d = editor.get(fmt.Sprintf("/desk/library/%d", mediaID))
	if !strings.Contains(d.Find(".uses").Text(), "图库测试：校运会开幕") {
		t.Errorf("uses: %q", d.Find(".uses").Text())
	}
	res, d = editor.post(fmt.Sprintf("/desk/library/%d/delete", mediaID), url.Values{"csrf": {editor.csrf()}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(d.Find(".error-box").Text(), "不能删除") {
		t.Errorf("deleting a used photo: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if _, err := a.Store.Media(ctx, mediaID); err != nil {
		t.Errorf("the used photo is gone: %v", err)
	}
}

func TestLibraryReuseSearchAndDelete(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	contributor := signIn(t, srv, "contributor")
	editor := signIn(t, srv, "editor")
	photo, err := photo.JPEG(12, 900, 600)
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.Media.Save(ctx, model.SystemActor("test"), "图书馆.jpg", photo, model.Media{Caption: "夜色中的图书馆", Alt: "亮着灯的图书馆", Credit: "王摄影"})
	if err != nil {
		t.Fatal(err)
	}
	_, d := contributor.get("/desk/library?q=" + url.QueryEscape("王摄影"))
	if !strings.Contains(d.Find(".library").Text(), "夜色中的图书馆") {
		t.Errorf("search by credit: %q", d.Find(".library").Text())
	}
	// A contributor reuses it in their own story, not in someone else's.
	own := newStory(t, contributor, "复用图库图片")
	res, _ := contributor.post(fmt.Sprintf("/desk/library/%d/use", m.ID), url.Values{"csrf": {contributor.csrf()}, "article": {fmt.Sprint(own)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("use in own story: %d", res.StatusCode)
	}
	if art, _ := a.Store.Article(ctx, own); !strings.Contains(art.Body, fmt.Sprintf("/media/%d/", m.ID)) || art.LeadMediaID != m.ID {
		t.Errorf("story body after use: %q", art.Body)
	}
	others := newStory(t, editor, "编辑自己的稿件")
	res, _ = contributor.post(fmt.Sprintf("/desk/library/%d/use", m.ID), url.Values{"csrf": {contributor.csrf()}, "article": {fmt.Sprint(others)}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("use in another's story: %d", res.StatusCode)
	}
	if art, _ := a.Store.Article(ctx, others); strings.Contains(art.Body, "/media/") {
		t.Error("the refused use changed the other story")
	}
	// Not the uploader, not an editor: no describing or deleting.
	if res, _ := contributor.post(fmt.Sprintf("/desk/library/%d/delete", m.ID), url.Values{"csrf": {contributor.csrf()}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor delete: %d", res.StatusCode)
	}
	// Once no story uses it, the editor deletes it and its files go.
	art, _ := a.Store.Article(ctx, own)
	art.Body, art.LeadMediaID = "<p>换了一张图。</p>", 0
	if err := a.Articles.Update(ctx, editorActor(t, a), &art); err != nil {
		t.Fatal(err)
	}
	res, _ = editor.post(fmt.Sprintf("/desk/library/%d/delete", m.ID), url.Values{"csrf": {editor.csrf()}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete unused: %d", res.StatusCode)
	}
	if _, err := a.Store.Media(ctx, m.ID); err == nil {
		t.Error("the deleted photo's record is still there")
	}
	if res, _ := http.Get(srv.URL + fmt.Sprintf("/media/%d/%s", m.ID, m.Name)); res.StatusCode != 404 {
		t.Errorf("deleted photo still served: %d", res.StatusCode)
	}
}

func TestPublishingNeedsAltTextOnEveryPicture(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	editor := signIn(t, srv, "editor")
	photo, _ := photo.JPEG(13, 640, 400)
	withAlt, err := a.Media.Save(ctx, model.SystemActor("test"), "有.jpg", photo, model.Media{Alt: "有替代文字"})
	if err != nil {
		t.Fatal(err)
	}
	noAlt := model.Media{Key: withAlt.Key, Name: "无.jpg", ContentType: "image/jpeg", Width: 640, Height: 400, Size: withAlt.Size, Checksum: withAlt.Checksum}
	if err := a.Store.CreateMedia(ctx, &noAlt); err != nil { // as imported content may be
		t.Fatal(err)
	}
	id := newStory(t, editor, "缺替代文字的稿件")
	art, _ := a.Store.Article(ctx, id)
	art.Body = fmt.Sprintf(`<p>一</p><figure><img src="/media/%d/有.jpg" alt="有替代文字"></figure><figure><img src="/media/%d/无.jpg" alt=""></figure><p><img src="https://example.org/x.png"></p>`, withAlt.ID, noAlt.ID)
	if err := a.Articles.Update(ctx, editorActor(t, a), &art); err != nil {
		t.Fatal(err)
	}
	res, d := act(t, editor, id, "publish")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "第 2, 3 张图片缺少替代文字") {
		t.Fatalf("publish without alt: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if got, _ := a.Store.Article(ctx, id); got.Status == model.StatusPublished {
		t.Fatal("published anyway")
	}
	// Fixed in the library (and the outside image given alt text): published.
	if _, err := a.Media.Describe(ctx, model.SystemActor("test"), noAlt.ID, "", "补上的替代文字", ""); err != nil {
		t.Fatal(err)
	}
	art, _ = a.Store.Article(ctx, id)
	art.Body = strings.Replace(art.Body, `<img src="https://example.org/x.png"`, `<img src="https://example.org/x.png" alt="校徽"`, 1)
	if err := a.Articles.Update(ctx, editorActor(t, a), &art); err != nil {
		t.Fatal(err)
	}
	if res, d := act(t, editor, id, "publish"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish after fixing: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	_, page := newDeskClient(t, srv).get(fmt.Sprintf("/articles/%d", id))
	page.Find(".body img").Each(func(i int, s *goquery.Selection) {
		if alt, _ := s.Attr("alt"); alt == "" {
			t.Errorf("picture %d has no alt text on the page", i+1)
		}
	})
}

// undecodableJPEG is a 900×600 JPEG made from seed and a copy of it that
// is well-formed to the last marker but whose scan's bytes are not Huffman
// codes of the image: its structure passes, its pixels do not decode.
func undecodableJPEG(t *testing.T, seed uint64) (good, broken []byte) {
	t.Helper()
	good, err := photo.JPEG(seed, 900, 600)
	if err != nil {
		t.Fatal(err)
	}
	sos := bytes.LastIndex(good, []byte{0xFF, 0xDA})
	broken = append([]byte{}, good...)
	for i := sos + 20; i < len(broken)-2; i++ {
		if broken[i] != 0xFF && broken[i-1] != 0xFF {
			broken[i] = 0xFE
		}
	}
	return good, broken
}

// A photo whose pixels do not decode (an import checks only its
// structure) is marked by the variants job, and the library says so on
// its card and its page.
func TestLibraryShowsPhotoThatDoesNotDecode(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	editor := signIn(t, srv, "editor")
	_, broken := undecodableJPEG(t, 14)
	c, err := a.Media.CheckStructure(ctx, "坏图.jpg", broken)
	if err != nil {
		t.Fatalf("structural check: %v", err)
	}
	m, err := a.Media.SaveChecked(ctx, model.SystemActor("import"), c, model.Media{Alt: "坏图", Caption: "读不出的照片"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Media.MakeVariants(ctx, m.ID); !errors.Is(err, model.ErrPermanent) {
		t.Fatalf("variants of an undecodable photo: %v", err)
	}
	_, d := editor.get("/desk/library")
	card := d.Find(".library li").FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), "读不出的照片") })
	if !strings.Contains(card.Find(".unreadable").Text(), "无法解码") {
		t.Errorf("library card of the undecodable photo: %q", card.Text())
	}
	_, d = editor.get(fmt.Sprintf("/desk/library/%d", m.ID))
	if txt := d.Find(".facts").Text(); !strings.Contains(txt, "无法解码") {
		t.Errorf("library page of the undecodable photo: %q", txt)
	}
}

// TestUnreadableLeadPhotoLeavesThePublicPageAndWarnsTheDesk: a story's
// lead photo (and a body figure) imported by its structure shows on the
// public pages until the variants job finds it cannot be decoded; from
// then on the article page, its column's list and the feed show no such
// picture (a reader would see a broken image), the story's other photo
// stays, and the desk's story page tells the editor to replace it; the
// slot board's card says the photo cannot be decoded instead of showing it.
func TestUnreadableLeadPhotoLeavesThePublicPageAndWarnsTheDesk(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	editor := signIn(t, srv, "editor")
	pub := newDeskClient(t, srv)
	good, broken := undecodableJPEG(t, 15)
	save := func(name string, data []byte) model.Media {
		c, err := a.Media.CheckStructure(ctx, name, data)
		if err != nil {
			t.Fatalf("structural check of %s: %v", name, err)
		}
		m, err := a.Media.SaveChecked(ctx, model.SystemActor("import"), c, model.Media{Alt: name, Caption: name + "的说明"})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	bad, fine := save("读不出的题图.jpg", broken), save("好的正文图.jpg", append(good, '1'))
	cols, err := a.Store.Columns(ctx)
	if err != nil || len(cols) == 0 {
		t.Fatalf("columns: %v", err)
	}
	body := fmt.Sprintf(`<p>正文第一段。</p><figure><img src="%s" alt="坏图"></figure><p>第二段。</p><figure><img src="%s" alt="好图"></figure>`, media.URL(bad), media.URL(fine))
	st := model.Article{ColumnID: cols[0].ID, Title: "题图读不出的导入稿件", Body: body, LeadMediaID: bad.ID,
		Status: model.StatusPublished, PublishedAt: time.Now().Add(-time.Minute)}
	if err := a.Articles.Import(ctx, model.SystemActor("import"), &st, "test"); err != nil {
		t.Fatal(err)
	}
	badRef, fineRef := fmt.Sprintf("/media/%d/", bad.ID), fmt.Sprintf("/media/%d/", fine.ID)
	pages := []string{reader.ArticleURL(st.ID), reader.ColumnURL(cols[0].Slug, 0, 0, 0), "/rss.xml"}
	get := func(path string) string {
		res, d := pub.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		h, _ := d.Html()
		return h
	}
	if h := get(pages[0]); !strings.Contains(h, badRef) || !strings.Contains(h, fineRef) {
		t.Fatalf("before the variants job the article page shows both photos: %v %v", strings.Contains(h, badRef), strings.Contains(h, fineRef))
	}
	if _, d := editor.get(fmt.Sprintf("/desk/articles/%d", st.ID)); d.Find(".unreadable-photos").Length() != 0 {
		t.Fatal("the desk warns before the photo was found unreadable")
	}
	if err := a.Media.MakeVariants(ctx, bad.ID); !errors.Is(err, model.ErrPermanent) {
		t.Fatalf("variants of the undecodable photo: %v", err)
	}
	if err := a.Media.MakeVariants(ctx, fine.ID); err != nil {
		t.Fatalf("variants of the good photo: %v", err)
	}
	for _, p := range pages {
		if h := get(p); strings.Contains(h, badRef) {
			t.Errorf("%s still shows the undecodable photo", p)
		}
	}
	if h := get(pages[0]); !strings.Contains(h, fineRef) || !strings.Contains(h, "第二段。") {
		t.Error("the article page lost its good photo or its text")
	}
	_, d := editor.get(fmt.Sprintf("/desk/articles/%d", st.ID))
	warn := d.Find(".unreadable-photos").Text()
	if !strings.Contains(warn, "题图 读不出的题图.jpg 无法解码") || strings.Contains(warn, "好的正文图") {
		t.Errorf("desk story page warning: %q", warn)
	}
	if href, _ := d.Find(".unreadable-photos a").Attr("href"); href != fmt.Sprintf("/desk/library/%d", bad.ID) {
		t.Errorf("the warning links to %q", href)
	}
	if err := a.Slots.Place(ctx, model.SystemActor("test"), model.Placement{Slot: "focus", ArticleID: st.ID}); err != nil {
		t.Fatal(err)
	}
	_, d = editor.get("/desk/slots")
	card := d.Find(fmt.Sprintf(`.slot-card[data-id="%d"]`, st.ID))
	if card.Length() == 0 {
		t.Fatal("the story is not on the slot board")
	}
	if src, _ := card.Find("img").Attr("src"); strings.Contains(src, badRef) || !strings.Contains(card.Find(".slot-pic.unreadable").Text(), "无法解码") {
		t.Errorf("slot card: img %q, badge %q", src, card.Find(".slot-pic").Text())
	}
}
