package staticsite

import (
	"slices"
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
