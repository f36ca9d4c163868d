package web_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/demo"
	"newsdesk/internal/demo/photo"
	"newsdesk/internal/model"
)

// fetchAs GETs path as c (nil: nobody signed in) and returns the status,
// the Cache-Control header and the body.
func fetchAs(t *testing.T, base string, c *deskClient, path string) (int, string, []byte) {
	t.Helper()
	client := http.DefaultClient
	if c != nil {
		client = c.c
	}
	res, err := client.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header.Get("Cache-Control"), b
}

// firstUnit is a unit of the demo site, for new contributors.
func firstUnit(t *testing.T) int64 {
	t.Helper()
	a, _ := deskServer(t)
	units, err := a.Store.Units(context.Background())
	if err != nil || len(units) == 0 {
		t.Fatalf("units: %v %v", units, err)
	}
	return units[0].ID
}

// storyMedia is the photo and the attachment of a story, by their URLs.
func storyMedia(t *testing.T, id int64) (photo, pdf string) {
	t.Helper()
	a, _ := deskServer(t)
	art, err := a.Store.Article(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := goquery.NewDocumentFromReader(strings.NewReader(art.Body))
	photo, _ = d.Find("figure img").Attr("src")
	pdf, _ = d.Find(`a[href$=".pdf"]`).Attr("href")
	if photo == "" || pdf == "" {
		t.Fatalf("story %d has no photo or attachment: %s", id, art.Body)
	}
	return photo, pdf
}

// TestUnpublishedFilesAreNotPublic: a draft's photo, its variants and its
// attachment answer 404 to readers and to desk users who may not see the
// story, and go uncached to those who may; published they are public for a
// minute at a time; withdrawn they are gone again; an editor's public mark
// serves them for good, and is audited.
func TestUnpublishedFilesAreNotPublic(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	contributor := signIn(t, srv, "contributor")
	editor := signIn(t, srv, "editor")
	other := &model.User{Username: "media.other", Name: "另一位通讯员", Roles: []string{model.RoleContributor}, UnitID: firstUnit(t)}
	if err := a.Accounts.AddUser(ctx, model.SystemActor("cli"), other, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	stranger := signIn(t, srv, "media.other")

	id := newStory(t, contributor, "未发布稿件的附件")
	jpeg, err := photo.JPEG(21, 1200, 800)
	if err != nil {
		t.Fatal(err)
	}
	if res, d := upload(t, contributor, id, "a1secret.jpg", jpeg, "alt", "未公开的照片"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload photo: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	if res, d := upload(t, contributor, id, "a1secret.pdf", []byte("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload pdf: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	if _, err := a.Jobs.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	photo, pdf := storyMedia(t, id)
	art, _ := a.Store.Article(ctx, id)
	vars, _ := a.Store.Variants(ctx, []int64{art.LeadMediaID})
	if len(vars[art.LeadMediaID]) == 0 {
		t.Fatal("no variants were made")
	}
	variant := "/media/" + vars[art.LeadMediaID][0].Key
	paths := []string{photo, pdf, variant}

	type want struct {
		status int
		cache  string
	}
	check := func(when string, cases map[string]want) {
		t.Helper()
		clients := map[string]*deskClient{"anon": nil, "stranger": stranger, "uploader": contributor, "editor": editor}
		for who, w := range cases {
			for _, p := range paths {
				status, cache, _ := fetchAs(t, srv.URL, clients[who], p)
				if status != w.status || (w.status == 200 && cache != w.cache) {
					t.Errorf("%s: %s GET %s = %d %q, want %d %q", when, who, p, status, cache, w.status, w.cache)
				}
			}
		}
	}
	hidden, private := want{404, ""}, want{200, "private, no-store"}
	check("draft", map[string]want{"anon": hidden, "stranger": hidden, "uploader": private, "editor": private})

	if res, d := act(t, editor, id, "publish"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	published := want{200, "public, max-age=60"}
	check("published", map[string]want{"anon": published, "stranger": published, "editor": published})

	if res, d := act(t, editor, id, "withdraw", "comment", "撤稿"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	check("withdrawn", map[string]want{"anon": hidden, "stranger": hidden, "uploader": private})

	// Marked public by an editor: for anyone, for good; a contributor may not.
	mark := func(c *deskClient, public string) int {
		res, _ := c.post(fmt.Sprintf("/desk/library/%d/public", art.LeadMediaID), url.Values{"csrf": {c.csrf()}, "public": {public}})
		return res.StatusCode
	}
	if code := mark(contributor, "1"); code != http.StatusForbidden {
		t.Errorf("a contributor marked a file public: %d", code)
	}
	if code := mark(editor, "1"); code != http.StatusSeeOther {
		t.Fatalf("mark public: %d", code)
	}
	paths = []string{photo, variant}
	check("marked", map[string]want{"anon": {200, "public, max-age=31536000, immutable"}})
	entries, _, err := a.Store.Audit(ctx, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Action != "media_public" || entries[0].Target != fmt.Sprintf("media %d", art.LeadMediaID) {
		t.Errorf("the mark is not audited: %+v", entries)
	}
	if code := mark(editor, ""); code != http.StatusSeeOther {
		t.Fatalf("take the mark back: %d", code)
	}
	check("unmarked", map[string]want{"anon": hidden})
}

// TestLibraryPageNamesOnlyStoriesTheViewerMaySee: a photo used in one
// contributor's draft and in an editor's story names, on its library page,
// only the stories the viewer may open in the desk, and counts the others.
func TestLibraryPageNamesOnlyStoriesTheViewerMaySee(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	contributor := signIn(t, srv, "contributor")
	editor := signIn(t, srv, "editor")
	other := &model.User{Username: "media.reader", Name: "旁观的通讯员", Roles: []string{model.RoleContributor}, UnitID: firstUnit(t)}
	if err := a.Accounts.AddUser(ctx, model.SystemActor("cli"), other, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	stranger := signIn(t, srv, "media.reader")
	photo, err := photo.JPEG(22, 800, 500)
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.Media.Save(ctx, model.SystemActor("test"), "共用.jpg", photo, model.Media{Alt: "共用的照片"})
	if err != nil {
		t.Fatal(err)
	}
	draft := newStory(t, contributor, "秘密草稿：尚未公布的人事任免")
	shown := newStory(t, editor, "公开的稿件：运动会")
	for _, c := range []struct {
		who *deskClient
		id  int64
	}{{contributor, draft}, {editor, shown}} {
		if res, _ := c.who.post(fmt.Sprintf("/desk/library/%d/use", m.ID), url.Values{"csrf": {c.who.csrf()}, "article": {itoa(c.id)}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("use in %d: %d", c.id, res.StatusCode)
		}
	}
	if res, d := act(t, editor, shown, "publish"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	for _, c := range []struct {
		who        *deskClient
		name       string
		sees, not  string
		hiddenText string
	}{
		{stranger, "another contributor", "", "秘密草稿", "另有 2 篇"},
		{contributor, "the draft's author", "秘密草稿", "公开的稿件", "另有 1 篇"},
	} {
		_, d := c.who.get(fmt.Sprintf("/desk/library/%d", m.ID))
		if uses := d.Find(".uses").Text(); !strings.Contains(uses, c.sees) || strings.Contains(d.Text(), c.not) {
			t.Errorf("%s sees uses %q", c.name, uses)
		}
		if got := d.Find(".uses-hidden").Text(); !strings.Contains(got, c.hiddenText) {
			t.Errorf("%s: hidden uses %q, want %q", c.name, got, c.hiddenText)
		}
	}
	_, d := editor.get(fmt.Sprintf("/desk/library/%d", m.ID))
	if uses := d.Find(".uses").Text(); !strings.Contains(uses, "秘密草稿") || !strings.Contains(uses, "公开的稿件") || d.Find(".uses-hidden").Length() != 0 {
		t.Errorf("the editor sees uses %q", uses)
	}
}

// TestOddFileNamesRoundTrip: photos and attachments named with spaces,
// Chinese, "%", "#", "?", quotes and commas keep their links: the page's
// src, srcset and href each fetch the file.
func TestOddFileNamesRoundTrip(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	editor := signIn(t, srv, "editor")
	pub := newDeskClient(t, srv)
	id := newStory(t, editor, "文件名测试")
	photo, err := photo.JPEG(23, 1000, 600)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"照片 (1).jpg", "my photo.jpg", `100% "best", #1?.jpg`}
	for _, name := range names {
		if res, d := upload(t, editor, id, name, photo, "alt", "照片："+name); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload %q: %d %s", name, res.StatusCode, d.Find(".error-box").Text())
		}
	}
	if res, d := upload(t, editor, id, "通知 #2 (50%).pdf", []byte("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload pdf: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	if res, d := act(t, editor, id, "publish"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	if _, err := a.Jobs.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	art, _ := a.Store.Article(ctx, id)
	files := map[string][]byte{} // URL path → the stored bytes it must serve
	for _, ref := range model.MediaRefs(art) {
		m, err := a.Store.Media(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		files[m.Name] = stored(t, m.Key)
	}
	_, d := pub.get(fmt.Sprintf("/articles/%d", id))
	var urls []string
	d.Find(".body img, .body source").Each(func(_ int, s *goquery.Selection) {
		if src, ok := s.Attr("src"); ok {
			urls = append(urls, src)
		}
		srcset, _ := s.Attr("srcset")
		for _, c := range strings.Split(srcset, ", ") {
			if f := strings.Fields(c); len(f) == 2 {
				urls = append(urls, f[0])
			} else if c != "" {
				t.Errorf("srcset candidate %q is not a URL and a width", c)
			}
		}
	})
	href, _ := d.Find(`.body a[href*=".pdf"]`).Attr("href")
	urls = append(urls, href)
	if len(urls) < len(names)*3+1 {
		t.Fatalf("only %d media URLs on the page: %q", len(urls), urls)
	}
	seen := map[string]bool{}
	for _, u := range urls {
		status, _, got := fetchAs(t, srv.URL, nil, u)
		if status != 200 {
			t.Errorf("GET %s = %d", u, status)
			continue
		}
		if p, err := url.PathUnescape(strings.TrimPrefix(u, "/media/")); err == nil {
			if _, name, ok := strings.Cut(p, "/"); ok && files[name] != nil {
				seen[name] = true
				if !bytes.Equal(got, files[name]) {
					t.Errorf("GET %s: %d bytes, not the stored %d", u, len(got), len(files[name]))
				}
			}
		}
	}
	for name := range files {
		if !seen[name] {
			t.Errorf("the file %q is not linked by its name from the page (%q)", name, urls)
		}
	}
}

// stored reads a file from the media storage.
func stored(t *testing.T, key string) []byte {
	t.Helper()
	a, _ := deskServer(t)
	f, err := a.Web.Files.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bombPNG is a PNG of w×h pixels, 16 bits a channel RGBA, all black: a
// few hundred kilobytes that decode to w×h×8 bytes. Written row by row,
// so making it costs no such memory.
func bombPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		io.WriteString(crc, kind)
		crc.Write(data)
		out.WriteString(kind)
		out.Write(data)
		binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 16, 6
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	row := make([]byte, 1+w*8)
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// TestUploadNeedingTooMuchMemoryIsRefused: the probe's 16-bit PNG of
// 7071×7071 pixels (a few hundred kB, 400 MB decoded) is refused before
// it is decoded, with a message that names it.
func TestUploadNeedingTooMuchMemoryIsRefused(t *testing.T) {
	a, srv := deskServer(t)
	editor := signIn(t, srv, "editor")
	id := newStory(t, editor, "超大图片")
	bomb := bombPNG(t, 7071, 7071)
	res, d := upload(t, editor, id, "巨图.jpg", bomb, "alt", "巨图")
	msg := d.Find(".error-box").Text()
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, "巨图.jpg") || !strings.Contains(msg, "7071×7071") || !strings.Contains(msg, "内存") {
		t.Errorf("16-bit 7071×7071 PNG (%d bytes): %d %q", len(bomb), res.StatusCode, msg)
	}
	if art, _ := a.Store.Article(context.Background(), id); strings.Contains(art.Body, "<img") {
		t.Error("the refused photo is in the story")
	}
}
