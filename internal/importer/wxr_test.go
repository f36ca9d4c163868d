package importer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/importer"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore/pgtest"
)

var ctx = context.Background()

// openSite opens an empty site in a temporary folder (PostgreSQL when dsn
// is given).
func openSite(t testing.TB, dsn string) *app.App {
	t.Helper()
	args := []string{"--data", t.TempDir()}
	if dsn != "" {
		args = append(args, "--db", dsn)
	}
	cfg, err := config.Parse("test", args)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// photo makes a small picture, different for each seed.
func photo(t *testing.T, seed int, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64+seed, 48))
	for x := range img.Bounds().Dx() {
		for y := range 48 {
			img.Set(x, y, color.RGBA{uint8(x * seed), uint8(y * 5), uint8(seed * 40), 255})
		}
	}
	var b bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// imageServer serves the old site's uploads on 127.0.0.1 and counts the
// requests for each (hits("") counts them all; the import downloads
// several at once).
func imageServer(t *testing.T) (*httptest.Server, func(path string) int) {
	t.Helper()
	files := map[string][]byte{
		"/wp-content/uploads/2020/11/kaiban.jpg":   photo(t, 1, "jpeg"),
		"/wp-content/uploads/2020/11/huichang.png": photo(t, 2, "png"),
		"/wp-content/uploads/2020/11/same.jpg":     photo(t, 1, "jpeg"), // kaiban.jpg's bytes again
		"/wp-content/uploads/2020/11/readme.jpg":   []byte("这不是图片"),
	}
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv, func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		if path == "" {
			n := 0
			for _, h := range hits {
				n += h
			}
			return n
		}
		return hits[path]
	}
}

// wxr writes a WordPress export of a Chinese news site whose pictures are
// at img: nested categories (one with a Chinese, percent-encoded name),
// an author, posts published, draft, private, scheduled and in the
// trash, a page, a menu item, comments, CDATA and entities.
func wxr(img, encoding, title12 string) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="%s"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>东岳大学新闻网</title>
	<link>http://old.example.edu.cn</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>http://old.example.edu.cn</wp:base_site_url>
	<wp:base_blog_url>http://old.example.edu.cn</wp:base_blog_url>
	<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[zhangsan]]></wp:author_login><wp:author_email><![CDATA[zs@example.edu.cn]]></wp:author_email><wp:author_display_name><![CDATA[张三]]></wp:author_display_name></wp:author>
	<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[news]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[新闻]]></wp:cat_name></wp:category>
	<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename><![CDATA[%%e5%%ad%%a6%%e6%%9c%%af]]></wp:category_nicename><wp:category_parent><![CDATA[news]]></wp:category_parent><wp:cat_name><![CDATA[学术动态]]></wp:cat_name></wp:category>
	<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename><![CDATA[campus]]></wp:category_nicename><wp:category_parent><![CDATA[news]]></wp:category_parent><wp:cat_name><![CDATA[校园 &amp; 生活]]></wp:cat_name></wp:category>
	<item>
		<title>开班仪式现场</title><link>http://old.example.edu.cn/kaiban/</link>
		<wp:post_id>45</wp:post_id><wp:post_type><![CDATA[attachment]]></wp:post_type><wp:status><![CDATA[inherit]]></wp:status>
		<excerpt:encoded><![CDATA[开班仪式在行政楼举行]]></excerpt:encoded>
		<wp:attachment_url><![CDATA[%[2]s/wp-content/uploads/2020/11/kaiban.jpg]]></wp:attachment_url>
		<wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key><wp:meta_value><![CDATA[行政楼国际会议厅里的学员]]></wp:meta_value></wp:postmeta>
	</item>
	<item>
		<title>%[3]s</title>
		<link>http://old.example.edu.cn/2020/11/05/kaiban/</link>
		<pubDate>Thu, 05 Nov 2020 08:30:00 +0000</pubDate>
		<dc:creator><![CDATA[zhangsan]]></dc:creator>
		<guid isPermaLink="false">http://old.example.edu.cn/?p=12</guid>
		<description></description>
		<content:encoded><![CDATA[<p>2020年11月5日下午，培训开班仪式在行政楼举行。R&amp;D 团队 &lt;悉数&gt; 到场。</p>
[caption id="attachment_46" align="aligncenter" width="300"]<img class="size-medium wp-image-46" src="%[2]s/wp-content/uploads/2020/11/huichang.png" alt="" width="300" height="200" /> 会场全景[/caption]
<p>与会者认真听讲。</p>
<p><img src="%[2]s/wp-content/uploads/2020/11/same.jpg" alt="同一张照片"></p>
<p>图片:刘孟秋 曹文玥</p>
<p>责任编辑：王五</p>]]></content:encoded>
		<excerpt:encoded><![CDATA[<b>开班仪式</b>顺利举行]]></excerpt:encoded>
		<wp:post_id>12</wp:post_id>
		<wp:post_date><![CDATA[2020-11-05 16:30:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2020-11-05 08:30:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[kaiban]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<category domain="category" nicename="campus"><![CDATA[校园]]></category>
		<category domain="post_tag" nicename="dangjian"><![CDATA[党建]]></category>
		<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[45]]></wp:meta_value></wp:postmeta>
		<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content><![CDATA[好！]]></wp:comment_content></wp:comment>
		<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_content><![CDATA[赞]]></wp:comment_content></wp:comment>
	</item>
	<item>
		<title>学术报告预告（草稿）</title><link>http://old.example.edu.cn/?p=13</link>
		<dc:creator><![CDATA[zhangsan]]></dc:creator><guid isPermaLink="false">http://old.example.edu.cn/?p=13</guid>
		<content:encoded><![CDATA[第一段。

第二段，还没写完。]]></content:encoded>
		<wp:post_id>13</wp:post_id><wp:post_date><![CDATA[2020-11-06 09:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>
		<wp:status><![CDATA[draft]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
		<category domain="category" nicename="%%e5%%ad%%a6%%e6%%9c%%af"><![CDATA[学术动态]]></category>
	</item>
	<item>
		<title>内部通知</title><link>http://old.example.edu.cn/2020/11/07/neibu/</link>
		<dc:creator><![CDATA[zhangsan]]></dc:creator><guid isPermaLink="false">http://old.example.edu.cn/?p=14</guid>
		<content:encoded><![CDATA[<p>仅内部可见。</p>]]></content:encoded>
		<wp:post_id>14</wp:post_id><wp:post_date_gmt><![CDATA[2020-11-07 01:00:00]]></wp:post_date_gmt>
		<wp:status><![CDATA[private]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
		<category domain="category" nicename="news"><![CDATA[新闻]]></category>
	</item>
	<item>
		<title>图片坏了的稿件</title><link>http://old.example.edu.cn/2020/11/08/huaile/</link>
		<guid isPermaLink="false">http://old.example.edu.cn/?p=15</guid>
		<content:encoded><![CDATA[<p>正文。</p><p><img src="%[2]s/wp-content/uploads/2020/11/gone.jpg" alt="不见了"></p><p><a href="%[2]s/wp-content/uploads/2020/11/readme.jpg"><img src="%[2]s/wp-content/uploads/2020/11/readme.jpg" alt="不是图片"></a></p>]]></content:encoded>
		<wp:post_id>15</wp:post_id><wp:post_date_gmt><![CDATA[2020-11-08 02:00:00]]></wp:post_date_gmt>
		<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
	</item>
	<item>
		<title>删掉的稿件</title><guid isPermaLink="false">http://old.example.edu.cn/?p=16</guid>
		<wp:post_id>16</wp:post_id><wp:status><![CDATA[trash]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
	</item>
	<item>
		<title>关于我们</title><link>http://old.example.edu.cn/about/</link>
		<guid isPermaLink="false">http://old.example.edu.cn/?page_id=20</guid>
		<content:encoded><![CDATA[<p>新闻中心简介。</p>]]></content:encoded>
		<wp:post_id>20</wp:post_id><wp:post_date_gmt><![CDATA[2019-01-01 00:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[about]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[page]]></wp:post_type>
	</item>
	<item>
		<title>首页</title><wp:post_id>30</wp:post_id><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[nav_menu_item]]></wp:post_type>
	</item>
</channel>
</rss>
`, encoding, img, title12)
}

const title12 = "研究生&amp;本科生 &ldquo;启邦&rdquo;培训开班"

func parse(t *testing.T, a *app.App, data string) *importer.Parsed {
	t.Helper()
	st, err := a.Site.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := importer.ParseWXR("export.xml", []byte(data), st.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func rowCounts(t *testing.T, a *app.App) [3]int {
	t.Helper()
	_, arts, err := a.Store.Articles(ctx, store.ArticleQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, files, err := a.Store.MediaList(ctx, store.MediaQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	cols, err := a.Store.Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return [3]int{arts, files, len(cols)}
}

func byTitle(t *testing.T, a *app.App, title string) model.Article {
	t.Helper()
	list, _, err := a.Store.Articles(ctx, store.ArticleQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		if x.Title == title {
			return x
		}
	}
	t.Fatalf("no story %q", title)
	return model.Article{}
}

// TestWXRImportedFieldByFieldAndAgainWithoutDuplicates: a WordPress
// export is imported — columns nested as the categories, stories with
// their status, time, summary, credits read from the closing lines and
// the author, featured and inline pictures as library photos with
// captions (one file's bytes twice: one photo), broken pictures reported
// and left out, comments counted, the trash, a menu item and no-title
// items skipped — then imported again creating nothing, then once more
// after a story changed, updating only it; old addresses answer 301.
func TestWXRImportedFieldByFieldAndAgainWithoutDuplicates(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { wxrFieldByField(t, "") })
	t.Run("postgres", func(t *testing.T) { wxrFieldByField(t, pgtest.DSN(t)) })
}

func wxrFieldByField(t *testing.T, dsn string) {
	a := openSite(t, dsn)
	img, hits := imageServer(t)
	data := wxr(img.URL, "UTF-8", title12)
	im := importer.ForApp(a, model.SystemActor("cli"), nil)
	im.AsUsers = true
	purges := 0
	done := im.Done
	im.Done = func() { purges++; done() }

	sum, err := im.Run(ctx, "wxr:http://old.example.edu.cn", parse(t, a, data))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 4 || sum.Pages != 1 || sum.Columns != 4 || sum.Photos != 2 || sum.PhotosReused != 1 || sum.Comments != 2 || sum.Users != 1 {
		t.Errorf("summary %+v", sum)
	}
	if purges != 1 {
		t.Errorf("page cache purged %d times, want once", purges)
	}
	var whys []string
	for _, s := range sum.Skipped {
		whys = append(whys, s.What+": "+why(t, s))
	}
	for _, want := range []string{`删掉的稿件: status "trash" is not imported`, `首页: WordPress items of type "nav_menu_item"`, "gone.jpg: download failed: the server answered HTTP 404", "readme.jpg: The file readme.jpg"} {
		if !slices.ContainsFunc(whys, func(w string) bool { return strings.Contains(w, want) }) {
			t.Errorf("skipped %q not listed in %q", want, whys)
		}
	}

	cols, err := a.Store.Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]model.Column{}
	for _, c := range cols {
		bySlug[c.Slug] = c
	}
	news, campus := bySlug["news"], bySlug["campus"]
	academic := "cat-" + fmt.Sprintf("%x", sha256.Sum256([]byte("%e5%ad%a6%e6%9c%af")))[:8]
	if news.Name != "新闻" || campus.Name != "校园 & 生活" || campus.ParentID != news.ID || bySlug[academic].Name != "学术动态" || bySlug[academic].ParentID != news.ID {
		t.Errorf("columns not nested as the categories: %+v", cols)
	}

	s := byTitle(t, a, `研究生&本科生 “启邦”培训开班`)
	if s.Status != model.StatusPublished || !s.PublishedAt.Equal(time.Date(2020, 11, 5, 8, 30, 0, 0, time.UTC)) || s.ColumnID != campus.ID {
		t.Errorf("published story: %s %v column %d", s.Status, s.PublishedAt, s.ColumnID)
	}
	if s.Summary != "开班仪式 顺利举行" && s.Summary != "开班仪式顺利举行" {
		t.Errorf("summary %q", s.Summary)
	}
	if !slices.Equal(s.Credits.Photographers, []string{"刘孟秋", "曹文玥"}) || s.Credits.Editor != "王五" || !slices.Equal(s.Credits.Writers, []string{"张三"}) {
		t.Errorf("credits %+v", s.Credits)
	}
	if strings.Contains(s.Body, "图片:") || strings.Contains(s.Body, "责任编辑") || strings.Contains(s.Body, img.URL) || !strings.Contains(s.Body, "R&amp;D 团队 &lt;悉数&gt;") {
		t.Errorf("body %s", s.Body)
	}
	if !strings.Contains(s.Body, "<figcaption>会场全景</figcaption>") {
		t.Errorf("the caption shortcode is no figure: %s", s.Body)
	}
	lead, err := a.Store.Media(ctx, s.LeadMediaID)
	if err != nil || lead.Caption != "开班仪式在行政楼举行" || lead.Alt != "行政楼国际会议厅里的学员" || lead.Credit != "刘孟秋 曹文玥" {
		t.Errorf("featured image: %+v %v", lead, err)
	}
	if ids := model.MediaRefs(s); len(ids) != 2 || ids[0] != lead.ID {
		t.Errorf("the story uses %v: the featured photo, the hall, and the same bytes again as the featured photo", ids)
	}
	if u, err := a.Store.User(ctx, s.AuthorID); err != nil || u.Username != "zhangsan" || u.Name != "张三" || !u.Disabled {
		t.Errorf("author as desk user: %+v %v", u, err)
	}
	draft := byTitle(t, a, "学术报告预告（草稿）")
	if draft.Status != model.StatusDraft || draft.ColumnID != bySlug[academic].ID || !strings.Contains(draft.Body, "<p>第二段，还没写完。</p>") {
		t.Errorf("draft: %s column %d body %q", draft.Status, draft.ColumnID, draft.Body)
	}
	if p := byTitle(t, a, "内部通知"); p.Status != model.StatusWithdrawn {
		t.Errorf("private post is %s, want not public", p.Status)
	}
	broken := byTitle(t, a, "图片坏了的稿件")
	if strings.Contains(broken.Body, "<img") || bySlug["imported"].ID != broken.ColumnID {
		t.Errorf("broken pictures kept, or no column for the uncategorised: %s", broken.Body)
	}
	if pg, err := a.Store.Page(ctx, "about"); err != nil || pg.Title != "关于我们" {
		t.Errorf("page: %+v %v", pg, err)
	}

	// Old addresses: the link and the ?p= address.
	web := httptest.NewServer(a.Web)
	defer web.Close()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]string{"/2020/11/05/kaiban/": fmt.Sprintf("/articles/%d", s.ID), "/?p=12": fmt.Sprintf("/articles/%d", s.ID), "/about/": "/pages/about"} {
		res, err := noFollow.Get(web.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("GET %s: %d → %q, want 301 → %s", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}

	// Again: nothing new, no picture fetched again.
	before, fetched := rowCounts(t, a), hits("/wp-content/uploads/2020/11/kaiban.jpg")
	sum, err = im.Run(ctx, "wxr:http://old.example.edu.cn", parse(t, a, data))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 0 || sum.Updated != 0 || sum.Unchanged != 4 || sum.Photos != 0 || sum.Columns != 0 || rowCounts(t, a) != before {
		t.Errorf("second run: %+v; rows %v, before %v", sum, rowCounts(t, a), before)
	}
	if hits("/wp-content/uploads/2020/11/kaiban.jpg") != fetched {
		t.Error("an unchanged story's pictures were downloaded again")
	}

	// A changed story is updated in place.
	sum, err = im.Run(ctx, "wxr:http://old.example.edu.cn", parse(t, a, wxr(img.URL, "UTF-8", "开班仪式（更正）")))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 0 || sum.Updated != 1 || sum.Unchanged != 3 || rowCounts(t, a) != before {
		t.Errorf("after a change: %+v", sum)
	}
	if got, _ := a.Store.Article(ctx, s.ID); got.Title != "开班仪式（更正）" || got.Version != s.Version+1 {
		t.Errorf("updated story: %q version %d", got.Title, got.Version)
	}
	entries, _, _ := a.Store.AuditSearch(ctx, store.AuditQuery{Target: fmt.Sprintf("article %d", s.ID), Limit: 10})
	if len(entries) != 2 || entries[0].Action != "import_update" || entries[1].Action != "import" {
		t.Errorf("audit of the story: %+v", entries)
	}
}

// TestWXRDryRunWritesNothing: a dry run counts what would be made and
// writes and downloads nothing.
func TestWXRDryRunWritesNothing(t *testing.T) {
	a := openSite(t, "")
	img, hits := imageServer(t)
	im := importer.ForApp(a, model.SystemActor("cli"), nil)
	im.DryRun = true
	before := rowCounts(t, a)
	sum, err := im.Run(ctx, "wxr:x", parse(t, a, wxr(img.URL, "UTF-8", title12)))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 4 || sum.Pages != 1 || sum.Columns != 4 || hits("") != 0 || rowCounts(t, a) != before {
		t.Errorf("dry run: %+v, %d downloads, rows %v → %v", sum, hits(""), before, rowCounts(t, a))
	}
}

// TestWXRInGBKReadsAsUTF8: a file declared and encoded as GBK reads as the
// same text.
func TestWXRInGBKReadsAsUTF8(t *testing.T) {
	a := openSite(t, "")
	utf, err := importer.ParseWXR("a.xml", []byte(wxr("http://127.0.0.1:1", "UTF-8", title12)), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(wxr("http://127.0.0.1:1", "GBK", title12))
	if err != nil {
		t.Fatal(err)
	}
	got := parse(t, a, gbk)
	if len(got.Items) != len(utf.Items) || got.Items[0].Title != utf.Items[0].Title || got.Items[0].Body != utf.Items[0].Body || got.Categories[2].Name != "校园 & 生活" {
		t.Errorf("GBK file read as %+v", got.Items[0])
	}
}

// TestBrokenWXRSaysWhereAndImportsNothing: a truncated file, a file that
// is not XML, and one in an unknown encoding are errors naming the line;
// nothing is parsed from them.
func TestBrokenWXRSaysWhereAndImportsNothing(t *testing.T) {
	full := wxr("http://127.0.0.1:1", "UTF-8", title12)
	tests := map[string]string{
		"truncated":        full[:len(full)*2/3],
		"not XML":          "这不是 XML\n",
		"unknown encoding": strings.Replace(full, `encoding="UTF-8"`, `encoding="x-no-such"`, 1),
		"mismatched tags":  strings.Replace(full, "</wp:post_name>", "</wp:post_nam>", 1),
		"not WordPress":    `<?xml version="1.0"?><html><body/></html>`,
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := importer.ParseWXR("export.xml", []byte(data), time.UTC)
			var fe *importer.FileError
			if !errors.As(err, &fe) || fe.Line < 1 || p != nil {
				t.Fatalf("got %v (%T), parsed %v", err, err, p)
			}
			t.Log(err)
		})
	}
}

// TestExportedWXRReadsBackIntoAnotherSite: a site's stories written as a
// WordPress export are read back by the importer with their titles,
// states, times, columns, credits and summaries, and imported into an
// empty site, the lead photos fetched from the first site on 127.0.0.1.
func TestExportedWXRReadsBackIntoAnotherSite(t *testing.T) {
	a := openSite(t, "")
	img, _ := imageServer(t)
	if _, err := importer.ForApp(a, model.SystemActor("cli"), nil).Run(ctx, "wxr:x", parse(t, a, wxr(img.URL, "UTF-8", title12))); err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(a.Web)
	defer site.Close()
	var out bytes.Buffer
	if err := importer.WriteWXR(ctx, &out, a.Store, "东岳大学新闻网", site.URL, time.UTC); err != nil {
		t.Fatal(err)
	}
	back, err := importer.ParseWXR("out.xml", out.Bytes(), time.UTC)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	stories, _, err := a.Store.Articles(ctx, store.ArticleQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := a.Store.Columns(ctx)
	slugs := map[int64]string{}
	for _, c := range cols {
		slugs[c.ID] = c.Slug
	}
	items := map[string]importer.Item{}
	for _, it := range back.Items {
		items[it.Link] = it
	}
	for _, s := range stories {
		it, ok := items[fmt.Sprintf("%s/articles/%d", site.URL, s.ID)]
		if !ok {
			t.Errorf("story %d %q not exported", s.ID, s.Title)
			continue
		}
		_, credits := importer.ReadCredits(it.Body)
		if it.Title != s.Title || it.Status != s.Status || it.Column != slugs[s.ColumnID] || it.Summary != s.Summary ||
			(s.Status == model.StatusPublished && !it.PublishedAt.Equal(s.PublishedAt)) || !slices.Equal(credits.Photographers, s.Credits.Photographers) || credits.Editor != s.Credits.Editor {
			t.Errorf("story %d read back as %+v (credits %+v), stored %+v", s.ID, it, credits, s)
		}
		if s.LeadMediaID != 0 && !strings.HasPrefix(it.Lead, site.URL+"/media/") {
			t.Errorf("story %d's lead photo exported as %q", s.ID, it.Lead)
		}
	}
	if len(back.Categories) != len(cols) {
		t.Errorf("%d categories for %d columns", len(back.Categories), len(cols))
	}

	b := openSite(t, "")
	sum, err := importer.ForApp(b, model.SystemActor("cli"), nil).Run(ctx, "wxr:"+site.URL, back)
	if err != nil || sum.Created != len(stories) || sum.Photos == 0 || sum.Pages != 1 {
		t.Fatalf("import of the export: %+v %v", sum, err)
	}
	moved := byTitle(t, b, `研究生&本科生 “启邦”培训开班`)
	if moved.LeadMediaID == 0 || moved.Credits.Editor != "王五" || !slices.Equal(moved.Credits.Photographers, []string{"刘孟秋", "曹文玥"}) {
		t.Errorf("the story in the second site: %+v", moved)
	}
}
