// Package column models the site's columns (栏目) as a tree.
package column

import (
	"fmt"

	"newsdesk/internal/model"
)

// Tree is an immutable view of all columns.
type Tree struct {
	all      []model.Column
	byID     map[int64]int
	bySlug   map[string]int
	children map[int64][]int64
}

// NewTree indexes columns (already ordered by position).
func NewTree(cols []model.Column) *Tree {
	t := &Tree{all: cols, byID: map[int64]int{}, bySlug: map[string]int{}, children: map[int64][]int64{}}
	for i, c := range cols {
		t.byID[c.ID] = i
		t.bySlug[c.Slug] = i
		t.children[c.ParentID] = append(t.children[c.ParentID], c.ID)
	}
	return t
}

// All returns every column in position order.
func (t *Tree) All() []model.Column { return t.all }

// Get returns the column with id.
func (t *Tree) Get(id int64) (model.Column, bool) {
	i, ok := t.byID[id]
	if !ok {
		return model.Column{}, false
	}
	return t.all[i], true
}

// BySlug returns the column with slug, or an error wrapping model.ErrNotFound.
func (t *Tree) BySlug(slug string) (model.Column, error) {
	i, ok := t.bySlug[slug]
	if !ok {
		return model.Column{}, fmt.Errorf("column %q: %w", slug, model.ErrNotFound)
	}
	return t.all[i], nil
}

// Children returns the direct sub-columns of id (0 = top level).
func (t *Tree) Children(id int64) []model.Column {
	var out []model.Column
	if ids := t.children[id]; len(ids) > 0 {
		out = make([]model.Column, 0, len(ids)) // every page's menu: no regrowing
	}
	for _, c := range t.children[id] {
		out = append(out, t.all[t.byID[c]])
	}
	return out
}

// Subtree returns id and the ids of all its descendants.
func (t *Tree) Subtree(id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		out = append(out, t.children[out[i]]...)
	}
	return out
}

// Path returns the columns from the top level down to id.
func (t *Tree) Path(id int64) []model.Column {
	var out []model.Column
	for seen := 0; id != 0 && seen < len(t.all); seen++ {
		c, ok := t.Get(id)
		if !ok {
			break
		}
		out = append([]model.Column{c}, out...)
		id = c.ParentID
	}
	return out
}
