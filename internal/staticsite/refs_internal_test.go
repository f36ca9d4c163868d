package staticsite

import (
	"maps"
	"path/filepath"
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
		`x/static//static/y "/static/"/media/x ,/media/a,/media/b (/static/(/media/c)`, `</a></p> "/media/`,
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
// a story is where the sitemap's order (the oldest first by publish time
// and then id, then the head) puts it, and rank is that order.
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
		return all[i].at < all[j].at || (all[i].at == all[j].at && all[i].id < all[j].id)
	})
	ranked := rank(e.stories)
	for pos, a := range all {
		if ranked[pos] != a.id {
			t.Fatalf("ranked %d at %d, want %d", ranked[pos], pos, a.id)
		}
	}
	const per = 10
	for pos, a := range all {
		want := pos/per + 1
		if got := sitemapParts(e.stories, ranked, []int64{a.id}, per); len(got) != 1 || !got[want] {
			t.Errorf("story %d at %d: parts %v, want %d", a.id, pos, got, want)
		}
	}
}

// TestSitemapStubsOfAPart: the stubs read ahead for a part of the
// sitemap are its stories in the sitemap's order, with the times of the
// stories edited since (delta) rather than the exporter's.
func TestSitemapStubsOfAPart(t *testing.T) {
	places := map[int64]story{}
	for id := int64(1); id <= 50; id++ {
		places[id] = story{column: id % 3, at: 5000 - id%17*60, updated: 6000 + id}
	}
	edited := story{column: places[20].column, at: places[20].at, updated: 9999, version: 2}
	delta := map[int64]*story{20: &edited}
	ranked := rank(places)
	const per = 10
	for part := 1; part <= 6; part++ {
		from := min(len(ranked), (part-1)*per)
		to := min(len(ranked), part*per)
		got := sitemapStubs(places, delta, ranked, map[int]bool{part: true}, per)[part]
		if len(got) != max(0, to-from) {
			t.Fatalf("part %d: %d stubs, want %d", part, len(got), max(0, to-from))
		}
		for k, a := range got {
			id := ranked[from+k]
			want := places[id]
			if id == 20 {
				want = edited
			}
			if a.ID != id || a.ColumnID != want.column || a.PublishedAt.Unix() != want.at || a.UpdatedAt.Unix() != want.updated {
				t.Errorf("part %d, stub %d: %+v, want story %d %+v", part, k, a, id, want)
			}
		}
	}
}

// TestRankingKeptWhileNothingMoves: the exporter keeps its ranking of the
// stories through an edit in place and forgets it when a story comes,
// goes or is re-dated.
func TestRankingKeptWhileNothingMoves(t *testing.T) {
	for _, c := range []struct {
		name  string
		delta map[int64]*story
		kept  bool
	}{
		{"edited in place", map[int64]*story{2: {column: 1, at: 200, updated: 900, version: 3}}, true},
		{"re-dated", map[int64]*story{2: {column: 1, at: 50, updated: 900}}, false},
		{"moved to another column", map[int64]*story{2: {column: 2, at: 200, updated: 900}}, true},
		{"withdrawn", map[int64]*story{2: nil}, false},
		{"new", map[int64]*story{4: {column: 1, at: 400}}, false},
	} {
		e := &Exporter{stories: map[int64]story{1: {column: 1, at: 100}, 2: {column: 1, at: 200}, 3: {column: 1, at: 300}}}
		e.ranked = rank(e.stories)
		e.apply(&changeSet{delta: c.delta})
		if kept := e.ranked != nil; kept != c.kept {
			t.Errorf("%s: ranking kept %v, want %v", c.name, kept, c.kept)
		}
		if e.ranked != nil && !slices.Equal(e.ranked, rank(e.stories)) {
			t.Errorf("%s: ranking %v, the stories' %v", c.name, e.ranked, rank(e.stories))
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

// TestRerankAfterAChange: rerank is rank of the stories after the change,
// and the parts before its first place are the same as before it: a
// story published now changes only the end of the sitemap.
func TestRerankAfterAChange(t *testing.T) {
	old := map[int64]story{}
	for id := int64(1); id <= 200; id++ {
		old[id] = story{column: id % 5, at: 10_000 + id%37*600}
	}
	ranked := rank(old)
	moved := old[50]
	moved.at -= 7200
	for _, c := range []struct {
		name      string
		delta     map[int64]*story
		wantFirst int // -1: wherever the prefix allows
	}{
		{"a new newest", map[int64]*story{201: {column: 1, at: 99_999}}, len(ranked)},
		{"an edit in place", map[int64]*story{ranked[120]: ptr(old[ranked[120]])}, 120},
		{"gone", map[int64]*story{ranked[80]: nil}, 80},
		{"re-dated, a new one and one gone", map[int64]*story{50: &moved, 300: {column: 2, at: 10_300}, ranked[30]: nil}, -1},
	} {
		now := maps.Clone(old)
		for id, d := range c.delta {
			if d == nil {
				delete(now, id)
			} else {
				now[id] = *d
			}
		}
		got, first := rerank(ranked, old, c.delta)
		if want := rank(now); !slices.Equal(got, want) {
			t.Errorf("%s: reranked %v, want %v", c.name, got, want)
		}
		if !slices.Equal(got[:first], ranked[:first]) || c.wantFirst >= 0 && first != c.wantFirst {
			t.Errorf("%s: first change at %d (want %d), the stories before it not as before", c.name, first, c.wantFirst)
		}
	}
}

func ptr(s story) *story { return &s }

// TestReadyAfterAnExport: the manifest an export writes is kept in
// memory, and Ready adds its list files by column and the stories in the
// sitemap's order, so that the first update reads neither the manifest
// nor sorts the stories again.
func TestReadyAfterAnExport(t *testing.T) {
	e := &Exporter{Dir: filepath.Join(t.TempDir(), "site"), stories: map[int64]story{1: {at: 20}, 2: {at: 10}, 3: {at: 30}}}
	m := Manifest{"index.html": {1}, "columns/news/index.html": {2}, "columns/news/2024/index.html": {3}, "articles/1/index.html": {4}}
	if err := e.writeManifest(m); err != nil {
		t.Fatal(err)
	}
	if e.written == nil || e.written.m == nil {
		t.Fatal("the manifest written is not kept")
	}
	if err := e.Ready(); err != nil {
		t.Fatal(err)
	}
	if got := e.written.st.groups; len(got) != 2 || len(got["news"]) != 2 || !got[""]["index.html"] || got["news"]["articles/1/index.html"] {
		t.Errorf("list files by column: %v", got)
	}
	if !slices.Equal(e.ranked, []int64{2, 1, 3}) {
		t.Errorf("ranked %v, want the oldest first", e.ranked)
	}
	got, _, _, err := e.lastManifest()
	if err != nil || !maps.Equal(got, m) {
		t.Errorf("the manifest kept: %v, %v", got, err)
	}
}
