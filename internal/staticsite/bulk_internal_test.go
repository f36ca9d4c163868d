package staticsite

import (
	"slices"
	"testing"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
)

// The columns an export renders whole come each followed by its subtree,
// whatever their positions, so that a sub-column's rows read for the
// column above it are kept only until its own pages are cut; a column
// left out is skipped, its sub-columns kept, and one whose parent is
// missing still comes.
func TestSubtreeOrderKeepsEachSubtreeTogether(t *testing.T) {
	tree := column.NewTree([]model.Column{
		{ID: 1, Slug: "news"}, {ID: 2, Slug: "notices"},
		{ID: 3, Slug: "news-sub", ParentID: 1}, {ID: 4, Slug: "notices-sub", ParentID: 2},
		{ID: 5, Slug: "news-sub-sub", ParentID: 3}, {ID: 6, Slug: "orphan", ParentID: 99},
	})
	slugs := func(cs []model.Column) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Slug)
		}
		return out
	}
	all := map[string]bool{"news": true, "notices": true, "news-sub": true, "notices-sub": true, "news-sub-sub": true, "orphan": true}
	if got, want := slugs(subtreeOrder(tree, all)), []string{"news", "news-sub", "news-sub-sub", "notices", "notices-sub", "orphan"}; !slices.Equal(got, want) {
		t.Errorf("every column: %v, want %v", got, want)
	}
	some := map[string]bool{"news-sub-sub": true, "notices": true, "news-sub": true}
	if got, want := slugs(subtreeOrder(tree, some)), []string{"news-sub", "news-sub-sub", "notices"}; !slices.Equal(got, want) {
		t.Errorf("some columns: %v, want %v", got, want)
	}
}
