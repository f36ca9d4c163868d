package staticsite

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"testing"
)

// htmlRefs finds in a page exactly what the regular expression it
// replaced finds.
func TestHTMLRefsMatchPattern(t *testing.T) {
	for _, page := range []string{
		`<link href="/static/abc/site.css"><img src='/media/1/a.jpg' srcset="/media/v/1/a-320.webp 320w,/media/v/1/a-640.webp 640w">`,
		`/static/x at start, a /static/ alone, "/static/", x/static/no, (/media/2/b.png) "/static/a?v=1#x" "/media/3/c d"`,
		"\t/static/tab\n/media/nl\r/static/cr\f/static/ff",
		`"/static/a/media/b" '/media/9/x/static/y'`,
		``, `/`, `"/static`, `"/media/`,
	} {
		var want []string
		for _, m := range refPattern.FindAllStringSubmatch(page, -1) {
			want = append(want, m[1])
		}
		if got := htmlRefs([]byte(page)); !slices.Equal(got, want) {
			t.Errorf("htmlRefs(%q) = %q, want %q", page, got, want)
		}
	}
}

// TestSitemapPartsOfEditedStories: the part of a split sitemap that lists
// a story is where the sitemap's order (the head, then the newest first
// by publish time and then id) puts it.
func TestSitemapPartsOfEditedStories(t *testing.T) {
	e := &Exporter{stories: map[int64]story{}}
	type entry struct{ id, at int64 }
	var all []entry
	for id := int64(1); id <= 97; id++ {
		at := 1_000_000 - id/3*3600 // three stories an hour, some at one time
		if id%7 == 0 {
			at += 86400 // out of id order
		}
		e.stories[id] = story{column: id % 4, at: at}
		all = append(all, entry{id, at})
	}
	sort.Slice(all, func(i, j int) bool {
		return all[i].at > all[j].at || (all[i].at == all[j].at && all[i].id > all[j].id)
	})
	const head, per = 7, 10
	for pos, a := range all {
		want := (head+pos)/per + 1
		if got := sitemapParts(e.stories, []int64{a.id}, head, per); len(got) != 1 || !got[want] {
			t.Errorf("story %d at %d: parts %v, want %d", a.id, pos, got, want)
		}
	}
}

// TestArticleIDsMatchPattern: articleIDs finds what the regular
// expression it replaced finds.
func TestArticleIDsMatchPattern(t *testing.T) {
	articleLink := regexp.MustCompile(`/articles/([0-9]+)(?:["'<?#]|$)`)
	for _, page := range []string{
		`<a href="/articles/12">x</a><a href='/articles/7?x'>`,
		`<loc>https://news.example.edu/articles/100000</loc><loc>https://x/articles/5#a</loc>`,
		`/articles/9`, `/articles/`, `/articles/x1"`, `/articles/12/index.html" /articles/3"`, `"/articles/4"/articles/5<`,
	} {
		var want []int64
		for _, m := range articleLink.FindAllStringSubmatch(page, -1) {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			want = append(want, id)
		}
		if got := articleIDs([]byte(page)); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", page, got, want)
		}
	}
}
