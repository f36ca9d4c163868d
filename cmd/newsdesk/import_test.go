package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const smallWXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
	<title>旧网站</title><wp:base_blog_url>http://old.example.edu.cn</wp:base_blog_url>
	<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[新闻]]></wp:cat_name></wp:category>
	<item><title>第一篇</title><link>http://old.example.edu.cn/2020/11/05/a/</link><guid>http://old.example.edu.cn/?p=1</guid>
		<content:encoded><![CDATA[<p>正文。</p><p>文字：张三</p>]]></content:encoded>
		<wp:post_id>1</wp:post_id><wp:post_date_gmt>2020-11-05 08:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
		<category domain="category" nicename="news"><![CDATA[新闻]]></category></item>
	<item><title></title><guid>http://old.example.edu.cn/?p=2</guid><wp:post_id>2</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel>
</rss>
`

// TestImportWXRCommandSummarisesAndRefusesABrokenFile: import wxr prints
// its summary with every skipped item; a dry run writes nothing; a
// truncated file is refused, naming the line, and imports nothing.
func TestImportWXRCommandSummarisesAndRefusesABrokenFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "export.xml")
	if err := os.WriteFile(file, []byte(smallWXR), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "site")
	env := map[string]string{"NEWSDESK_LANG": "en"}
	r := newsdesk(t, env, "", "import", "wxr", file, "--data", data, "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "dry run (nothing written): 1 stories would be created") {
		t.Fatalf("dry run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = newsdesk(t, env, "", "import", "wxr", file, "--data", data)
	if r.code != 0 || !strings.Contains(r.stdout, "1 stories created") || !strings.Contains(r.stdout, "export.xml:10") || !strings.Contains(r.stdout, "no title") {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = newsdesk(t, env, "", "import", "wxr", file, "--data", data)
	if r.code != 0 || !strings.Contains(r.stdout, "0 stories created, 0 updated, 1 unchanged") {
		t.Fatalf("again: exit %d\n%s", r.code, r.stdout)
	}
	cut := filepath.Join(dir, "cut.xml")
	if err := os.WriteFile(cut, []byte(smallWXR[:len(smallWXR)/2]), 0o644); err != nil {
		t.Fatal(err)
	}
	r = newsdesk(t, env, "", "import", "wxr", cut, "--data", filepath.Join(dir, "other"))
	if r.code != exitFailed || !strings.Contains(r.stderr, "cut.xml (line ") || !strings.Contains(r.stderr, "Nothing was imported") {
		t.Errorf("truncated file: exit %d\n%s", r.code, r.stderr)
	}
}

// TestExportWXRCommandWritesAFileTheImporterReads: export wxr writes the
// imported story back out, and import wxr reads that file into another
// site.
func TestExportWXRCommandWritesAFileTheImporterReads(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "export.xml")
	if err := os.WriteFile(file, []byte(smallWXR), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"NEWSDESK_LANG": "en"}
	if r := newsdesk(t, env, "", "import", "wxr", file, "--data", filepath.Join(dir, "a")); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	out := filepath.Join(dir, "out.xml")
	if r := newsdesk(t, env, "", "export", "wxr", "--out", out, "--base-url", "https://news.example.edu.cn", "--data", filepath.Join(dir, "a")); r.code != 0 || !strings.Contains(r.stdout, "exported to") {
		t.Fatalf("export: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r := newsdesk(t, env, "", "import", "wxr", out, "--data", filepath.Join(dir, "b"))
	if r.code != 0 || !strings.Contains(r.stdout, "1 stories created") {
		t.Fatalf("import of the export: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), "<title>第一篇</title>") || !strings.Contains(string(b), "https://news.example.edu.cn/articles/1") {
		t.Errorf("export:\n%s", b)
	}
}

// TestImportCrawlWithOwnSelectors: import crawl with selectors of its own
// (no preset) reads a site on 127.0.0.1 and imports its story.
func TestImportCrawlWithOwnSelectors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/news/":
			fmt.Fprint(w, `<html><body><div id="list"><a href="/news/a1.html">一</a></div></body></html>`)
		case "/news/a1.html":
			fmt.Fprint(w, `<html><body><h2 id="t">校园新闻一则</h2><em class="d">2021年3月9日</em><article><p>正文。</p><p>责任编辑：赵六</p></article></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	r := newsdesk(t, map[string]string{"NEWSDESK_LANG": "en"}, "", "import", "crawl", "--start", srv.URL+"/news/", "--list", "#list", "--link", "a",
		"--title", "#t", "--date", ".d", "--body", "article", "--delay", "0s", "--data", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "1 stories created") {
		t.Fatalf("crawl: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestImportSummarySaysWhySkippedInTheOperatorsLanguage: every skipped
// item of the summary (a picture the server does not have, a file that
// is no picture, a story without a title) is listed with the file and its
// line and a message of the catalogue, in Chinese under a Chinese locale
// and in English under NEWSDESK_LANG=en, never Go's error text.
func TestImportSummarySaysWhySkippedInTheOperatorsLanguage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/readme.jpg" {
			fmt.Fprint(w, "not a picture at all, only some text")
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	wxr := strings.Replace(smallWXR, `<p>正文。</p>`, fmt.Sprintf(`<p>正文。</p><p><img src="%[1]s/gone.jpg" alt="图"></p><p><img src="%[1]s/readme.jpg" alt="图"></p>`, srv.URL), 1)
	line := func(s string) int { return strings.Count(wxr[:strings.Index(wxr, s)], "\n") + 1 }
	story, untitled := line("<item><title>第一篇"), line("<item><title></title>")
	dir := t.TempDir()
	file := filepath.Join(dir, "export.xml")
	if err := os.WriteFile(file, []byte(wxr), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  map[string]string
		want []string
	}{
		{map[string]string{"LANG": "zh_CN.UTF-8"}, []string{
			fmt.Sprintf("export.xml:%d  %s/gone.jpg：下载失败：服务器回答 HTTP 404", story, srv.URL),
			fmt.Sprintf("export.xml:%d  %s/readme.jpg：文件 readme.jpg", story, srv.URL),
			fmt.Sprintf("export.xml:%d  http://old.example.edu.cn/?p=2：没有标题", untitled),
		}},
		{map[string]string{"NEWSDESK_LANG": "en"}, []string{
			fmt.Sprintf("export.xml:%d  %s/gone.jpg: download failed: the server answered HTTP 404", story, srv.URL),
			fmt.Sprintf("export.xml:%d  %s/readme.jpg: The file readme.jpg", story, srv.URL),
			fmt.Sprintf("export.xml:%d  http://old.example.edu.cn/?p=2: no title", untitled),
		}},
	} {
		r := newsdesk(t, tc.env, "", "import", "wxr", file, "--data", filepath.Join(dir, tc.env["LANG"]+tc.env["NEWSDESK_LANG"]))
		if r.code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", tc.env, r.code, r.stdout, r.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%v: summary lacks %q:\n%s", tc.env, w, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "picture: ") || strings.Contains(r.stdout, "upload refused") {
			t.Errorf("%v: Go error text in the summary:\n%s", tc.env, r.stdout)
		}
	}
}

// TestImportOfAnUnreadableSourceSaysWhyInTheOperatorsLanguage: a source
// that cannot be read at all is refused with where and why in the
// operator's words, not the parser's Go error, and nothing is imported.
func TestImportOfAnUnreadableSourceSaysWhyInTheOperatorsLanguage(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	truncated := write("truncated.xml", smallWXR[:len(smallWXR)/2])
	html := write("page.xml", "<html>\n<body><p>不是导出文件</p></body>\n</html>\n")
	broken := write("broken.xml", "<rss>\n<channel>\n<title>旧站</item>\n</channel></rss>\n")
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"wxr", truncated}, map[string]string{"LANG": "zh_CN.UTF-8"}, "文件提前结束"},
		{[]string{"wxr", truncated}, map[string]string{"NEWSDESK_LANG": "en"}, "the file ends early"},
		{[]string{"wxr", html}, map[string]string{"LANG": "zh_CN.UTF-8"}, "无法读取 " + html + "（第 1 行）：文件的根元素是 <html>，而不是 WordPress 导出文件（WXR）的 <rss>"},
		{[]string{"wxr", broken}, map[string]string{"LANG": "zh_CN.UTF-8"}, "无法读取 " + broken + "（第 3 行）：不是格式正确的 XML（解析器报告："},
		{[]string{"feed", filepath.Join(dir, "nowhere.xml")}, map[string]string{"LANG": "zh_CN.UTF-8"}, "无法读取 " + filepath.Join(dir, "nowhere.xml") + "：文件不存在。没有导入任何内容。"},
		{[]string{"feed", html}, map[string]string{"NEWSDESK_LANG": "en"}, "cannot read " + html + ": not an RSS or Atom feed that can be read"},
	} {
		data := filepath.Join(dir, "data")
		r := newsdesk(t, tc.env, "", append(append([]string{"import"}, tc.args...), "--data", data)...)
		if r.code == 0 {
			t.Errorf("import %v: exit 0, want a failure", tc.args)
		}
		if !strings.Contains(r.stderr, tc.want) {
			t.Errorf("import %v %v: stderr lacks %q:\n%s", tc.args, tc.env, tc.want, r.stderr)
		}
		if strings.Contains(r.stderr, "XML syntax error") || strings.Contains(r.stderr, "no such file") {
			t.Errorf("import %v: Go error text shown:\n%s", tc.args, r.stderr)
		}
	}
}
