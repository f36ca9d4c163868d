package column

import (
	"errors"
	"testing"

	"newsdesk/internal/model"
)

func TestTree(t *testing.T) {
	tr := NewTree([]model.Column{
		{ID: 1, Slug: "news", Name: "综合新闻"},
		{ID: 2, Slug: "headlines", Name: "学校要闻", ParentID: 1},
		{ID: 3, Slug: "deep", Name: "深度", ParentID: 2},
		{ID: 4, Slug: "media", Name: "媒体重大"},
	})
	if got := tr.Children(0); len(got) != 2 || got[1].Slug != "media" {
		t.Errorf("top = %+v", got)
	}
	if got := tr.Subtree(1); len(got) != 3 {
		t.Errorf("subtree = %v", got)
	}
	if p := tr.Path(3); len(p) != 3 || p[0].ID != 1 || p[2].ID != 3 {
		t.Errorf("path = %+v", p)
	}
	if _, err := tr.BySlug("none"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing slug: %v", err)
	}
}
